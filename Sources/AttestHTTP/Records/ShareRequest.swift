// Attest — certificates and documents you can verify. Apache-2.0.

/// The body of `POST /api/records/share`: whose record in which program.
struct ShareRequest: Decodable {
    let learnerID: String
    let programID: String

    enum CodingKeys: String, CodingKey {
        case learnerID = "learner_id"
        case programID = "program_id"
    }
}
