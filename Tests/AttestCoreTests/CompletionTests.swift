// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Foundation
import Testing

@Suite("Completion validation")
struct CompletionTests {
    static let valid: [String: JSONValue] = [
        "external_id": .string("lms-42"),
        "learner_id": .string("learner-7"),
        "learner_name": .string("  Amélie Durand  "),
        "course_id": .string("gdpr-101"),
        "course_title": .string("Data Protection Essentials"),
        "organisation": .string("Northbridge Institute"),
        "completed_at": .string("2026-03-01T23:30:00-05:00"),
    ]

    static func problems(_ object: [String: JSONValue]) -> [FieldProblem] {
        do {
            _ = try Completion(validating: .object(object))
            return []
        } catch let error as CoreError {
            return error.problems
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    static func with(_ changes: [String: JSONValue?]) -> [String: JSONValue] {
        var object = Self.valid
        for (key, value) in changes { object[key] = value }
        return object
    }

    @Test func validCompletionIsTrimmedAndGetsDefaults() throws {
        let completion = try Completion(validating: .object(Self.valid))
        #expect(completion.learnerName == "Amélie Durand")
        #expect(completion.locale == "en")
        #expect(completion.score == nil)
        #expect(completion.template == nil)
        // The issue date is the local day of completed_at, not the UTC day (2026-03-02T04:30Z).
        #expect(completion.completedAt.localDate.description == "2026-03-01")
        #expect(completion.completedAt.date == Date(timeIntervalSince1970: 1_772_425_800))
    }

    @Test func decomposedNamesAreStoredComposed() throws {
        let completion = try Completion(validating: .object(Self.with(["learner_name": .string("Jose\u{301}")])))
        #expect(completion.learnerName.unicodeScalars.count == 4)
        #expect(completion.learnerName == "José")
    }

    @Test func everyMissingFieldIsReportedInContractOrder() {
        let problems = Self.problems([:])
        #expect(
            problems.map(\.field) == [
                "external_id", "learner_id", "learner_name", "course_id", "course_title", "organisation",
                "completed_at",
            ]
        )
        #expect(problems.allSatisfy { $0.message == "is required" })
    }

    @Test func nullCountsAsAbsent() {
        let problems = Self.problems(Self.with(["learner_name": .some(.null), "score": .some(.null)]))
        #expect(problems == [FieldProblem(field: "learner_name", message: "is required")])
    }

    @Test(arguments: [
        ("Ann\u{0007}e", "control character U+0007 at position 4"),
        ("Ann\u{0085}e", "control character U+0085"),
        ("Anne\u{2028}Marie", "line break U+2028"),
        ("Ann\u{FFFD}", "replacement character"),
        ("Ann\u{FFFF}", "non-character"),
    ])
    func unprintableCharactersAreRejectedWithTheirPosition(name: String, expected: String) {
        let problems = Self.problems(Self.with(["learner_name": .string(name)]))
        #expect(problems.count == 1)
        #expect(problems.first?.field == "learner_name")
        #expect(problems.first?.message.contains(expected) == true, "\(problems)")
    }

    @Test func namesInEveryScriptAndWithJoinersAreAccepted() throws {
        for name in ["محمد", "अनुष्का", "王小明", "می\u{200C}خواهم", "Ólafur Ragnar Grímsson", "O'Brien-Łukasz"] {
            let completion = try Completion(validating: .object(Self.with(["learner_name": .string(name)])))
            #expect(completion.learnerName == name.precomposedStringWithCanonicalMapping)
        }
    }

    @Test func nameLengthIsCountedInCodePointsAfterTrimming() {
        let longest = String(repeating: "é", count: 300)
        #expect(Self.problems(Self.with(["learner_name": .string("  " + longest + "\n")])).isEmpty)
        let tooLong = Self.problems(Self.with(["learner_name": .string(longest + "x")]))
        #expect(
            tooLong == [
                FieldProblem(field: "learner_name", message: "must be 1–300 characters after trimming, not 301")
            ]
        )
        let blank = Self.problems(Self.with(["learner_name": .string(" \t ")]))
        #expect(blank == [FieldProblem(field: "learner_name", message: "is required and must not be blank")])
        let id = Self.problems(Self.with(["external_id": .string(String(repeating: "a", count: 201))]))
        #expect(id.map(\.field) == ["external_id"])
    }

    @Test func wrongTypesNameTheirType() {
        let problems = Self.problems(
            Self.with(["learner_id": .number(7), "score": .string("0.9"), "course_title": .array([])])
        )
        #expect(
            problems == [
                FieldProblem(field: "learner_id", message: "must be a string, not a number"),
                FieldProblem(field: "course_title", message: "must be a string, not an array"),
                FieldProblem(field: "score", message: "must be a number from 0 to 1, not a string"),
            ]
        )
    }

    @Test(arguments: [0.0, 0.5, 1.0])
    func scoresFromZeroToOneAreAccepted(score: Double) throws {
        let completion = try Completion(validating: .object(Self.with(["score": .number(score)])))
        #expect(completion.score == score)
    }

    @Test(arguments: [-0.01, 1.01, 92, Double.infinity])
    func scoresOutsideZeroToOneAreRejected(score: Double) {
        #expect(Self.problems(Self.with(["score": .number(score)])).map(\.field) == ["score"])
    }

    @Test func templateIDsCannotNameAPath() {
        #expect(Self.problems(Self.with(["template": .string("modern")])).isEmpty)
        for bad in ["../secrets", "Modern", "a/b", "-x", ""] {
            #expect(Self.problems(Self.with(["template": .string(bad)])).map(\.field) == ["template"], "\(bad)")
        }
    }

    @Test func localesMustBeLanguageTags() throws {
        for good in ["fr", "pt-BR", "zh-Hant-TW", "sr-Latn"] {
            let completion = try Completion(validating: .object(Self.with(["locale": .string(good)])))
            #expect(completion.locale == good)
        }
        for bad in ["f", "en_US", "english language", "en--US", "123"] {
            #expect(Self.problems(Self.with(["locale": .string(bad)])).map(\.field) == ["locale"], "\(bad)")
        }
    }

    @Test func completedAtMustBeRFC3339() {
        for bad in [
            "2026-03-01", "2026-03-01T09:30:00", "2026-02-30T09:30:00Z", "01/03/2026 09:30", "2026-03-01T25:00:00Z",
        ] {
            let problems = Self.problems(Self.with(["completed_at": .string(bad)]))
            #expect(problems.map(\.field) == ["completed_at"], "\(bad)")
            #expect(problems.first?.message.contains("RFC 3339") == true)
        }
    }

    @Test func everyProblemIsReportedAtOnce() {
        let problems = Self.problems(Self.with(["learner_name": nil, "score": .number(3), "locale": .string("x")]))
        #expect(problems.map(\.field) == ["learner_name", "score", "locale"])
    }

    @Test func nonObjectsAndMalformedJSONAreReportedAsTheWholeValue() throws {
        #expect(throws: CoreError.self) { try Completion(validating: .array([])) }
        do {
            _ = try Completion(json: Data("{\"learner_name\": ".utf8))
            Issue.record("malformed JSON was accepted")
        } catch let error as CoreError {
            #expect(error.code == .invalidCompletion)
            #expect(error.problems == [FieldProblem(field: "$", message: "is not valid JSON")])
        }
    }

    @Test func encodingRoundTripsThroughTheValidatingDecoder() throws {
        var object = Self.valid
        object["score"] = .number(0.875)
        object["program_id"] = .string("p1")
        object["program_title"] = .string("Privacy")
        object["locale"] = .string("fr-CA")
        let completion = try Completion(validating: .object(object))
        let data = try JSONEncoder().encode(completion)
        let decoded = try JSONDecoder().decode(Completion.self, from: data)
        #expect(decoded == completion)
        let keys = try JSONDecoder().decode([String: JSONValue].self, from: data).keys.sorted()
        #expect(
            keys == [
                "completed_at", "course_id", "course_title", "external_id", "learner_id", "learner_name", "locale",
                "organisation", "program_id", "program_title", "score",
            ]
        )
    }
}
