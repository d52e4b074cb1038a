// Attest — certificates and documents you can verify. Apache-2.0.

import Mustache

/// The values of the page shown for an unknown code, a removed document or a server failure.
struct ProblemPage: PageContent {
    func child(named name: String) -> Any? {
        switch name {
        case "heading": self.heading
        case "detail": self.detail
        case "hints": self.hints
        case "hasHints": self.hasHints
        default: nil
        }
    }

    let title: String
    let heading: String
    let detail: String
    let hints: [String]
    let hasHints: Bool

    init(_ error: ServerError) {
        switch error.code {
        case .notFound:
            self.heading = "Certificate not found"
            self.detail = "No certificate has this verification code."
            self.hints = [
                "Scan the QR code on the certificate again, or type the address exactly as printed: "
                    + "verification codes have 26 letters and digits.",
                "If it still cannot be found, the copy you hold was not issued through this service. "
                    + "Contact the organisation named on it.",
            ]
        case .gone:
            self.heading = "Document removed"
            self.detail = error.message
            self.hints = ["The verification page of the certificate still says whether it is valid."]
        default:
            self.heading = "Something went wrong"
            self.detail = error.message
            self.hints = []
        }
        self.hasHints = !self.hints.isEmpty
        self.title = self.heading
    }
}
