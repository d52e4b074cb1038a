// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase

/// The answer of `GET /api/learners/{id}/records`: the programs the learner has started, with progress.
struct LearnerRecords: Encodable {
    let learnerID: String
    let programs: [ProgramProgress]

    enum CodingKeys: String, CodingKey {
        case learnerID = "learner_id"
        case programs
    }
}
