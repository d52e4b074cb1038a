// Attest — certificates and documents you can verify. Apache-2.0.

/// The page for a record link that opens nothing: unknown, malformed and taken-back links (and every link while
/// records are switched off) all get this same page, so the answer reveals nothing about which it was.
struct RecordProblemPage: PageContent {
    let title = "Record not found"
    let heading = "Record not found"
    let detail = "No shared program record has this link."
    let hints = [
        "Open the link exactly as you received it: record links are long and every character counts.",
        "The learner may have stopped sharing this record. Ask them for a new link.",
    ]
    let hasHints = true

    func child(named name: String) -> Any? {
        switch name {
        case "heading": self.heading
        case "detail": self.detail
        case "hints": self.hints
        case "hasHints": self.hasHints
        default: nil
        }
    }
}
