// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Glibc
import Testing

/// `attest purge-pdfs` with the real binary, PostgreSQL and files: issue 8's acceptance points.
@Suite("attest purge-pdfs", .requiresDatabase, .serialized)
struct PurgePDFsCommandTests {
    /// Three learners with ids that are not small numbers: A, B and C of the issue.
    static let learnerA = "100234"
    static let learnerB = "ann.lee@example.org"
    static let learnerC = "učitel-7"

    @Test(
        "learners A (3), B (1), C (2, one revoked) from the real pipeline: purging A and C deletes exactly those 5 files, keeps all 6 rows, B untouched, the revoked one stays revoked"
    )
    func purgesExactlyTheSelectedLearnersFiles() async throws {
        try await PurgeFixture.with("purge-abc") { fixture in
            let learners = [Self.learnerA, Self.learnerA, Self.learnerA, Self.learnerB, Self.learnerC, Self.learnerC]
            let documents = learners.enumerated().map { PipelineTestSupport.completion($0.offset, learner: $0.element) }
            _ = try await fixture.pool.withConnection { try await CompletionRepository().submit(documents, on: $0) }
            let drain = try await fixture.attest(["worker", "--drain", "--concurrency", "2"])
            #expect(drain.status == 0, "\(drain.standardError)")
            let revokedCode = try #require(
                try await self.certificates(of: Self.learnerC, fixture).first?.verificationCode)
            let revoke = try await fixture.attest(["revoke", revokedCode, "--reason", "issued in error"])
            #expect(revoke.status == 0, "\(revoke.standardError)")

            let before = try await self.allCertificates(fixture)
            #expect(before.count == 6)
            #expect(PipelineTestSupport.files(under: fixture.storage) == Set(before.compactMap(\.documentPath)))
            let bFile = try #require(try await self.certificates(of: Self.learnerB, fixture).first?.documentPath)
            let bBytes = try Data(contentsOf: fixture.storage.appendingPathComponent(bFile))
            let bRow = try await self.certificates(of: Self.learnerB, fixture)
            let selectedBytes = before.filter { $0.learnerID != Self.learnerB }.reduce(0) {
                $0 + ($1.documentBytes ?? 0)
            }

            let purge = try await fixture.attest([
                "purge-pdfs", "--learner", Self.learnerA, "--learner", Self.learnerC, "--yes", "--operator", "Jane Doe",
            ])
            #expect(purge.status == 0, "\(purge.standardOutput)\n\(purge.standardError)")
            #expect(!purge.standardError.contains("purging:"), "no progress line without a terminal")
            #expect(
                purge.standardOutput.contains(
                    "certificates purged 5, files deleted 5, bytes freed \(selectedBytes), files already missing 0, "
                        + "already purged 0, not found 0, errors 0"
                ),
                "\(purge.standardOutput)"
            )
            #expect(Self.lines(purge.standardOutput, startingWith: "deleted  ") == 5)

            #expect(PipelineTestSupport.files(under: fixture.storage) == [bFile])
            #expect(try Data(contentsOf: fixture.storage.appendingPathComponent(bFile)) == bBytes)
            let after = try await self.allCertificates(fixture)
            #expect(after.count == 6)
            for old in before {
                let new = try #require(after.first { $0.id == old.id })
                #expect(new.status == old.status)
                #expect(new.verificationCode == old.verificationCode)
                #expect(new.learnerName == old.learnerName && new.courseTitle == old.courseTitle)
                #expect(new.organisation == old.organisation && new.issuedOn == old.issuedOn)
                #expect(new.revokedAt == old.revokedAt && new.revocationReason == old.revocationReason)
                #expect(new.documentSHA256 == old.documentSHA256)
                if old.learnerID == Self.learnerB {
                    #expect(new == old)
                } else {
                    #expect(new.documentPath == nil)
                    #expect(new.documentPurgedAt != nil)
                }
            }
            #expect(try await self.certificates(of: Self.learnerB, fixture) == bRow)
            let revoked = try #require(after.first { $0.verificationCode == revokedCode })
            #expect(revoked.status == .revoked && revoked.revocationReason == "issued in error")

            let run = try #require(
                try await fixture.pool.query(
                    """
                    SELECT state::text AS state, os_user, operator, certificates_purged, files_deleted, bytes_freed
                    FROM attest.purge_runs
                    """
                ).first
            )
            #expect(try run.decode("state", as: String.self) == "succeeded")
            #expect(try !run.decode("os_user", as: String.self).isEmpty)
            #expect(try run.decode("operator", as: String.self) == "Jane Doe")
            #expect(try run.decode("certificates_purged", as: Int.self) == 5)
            #expect(try run.decode("files_deleted", as: Int.self) == 5)
            #expect(try run.decode("bytes_freed", as: Int.self) == selectedBytes)
            #expect(try await fixture.auditItems().filter { $0.hasPrefix("1 deleted ") }.count == 5)

            let again = try await fixture.attest(["purge-pdfs", "--learner", Self.learnerA, Self.learnerC, "--yes"])
            #expect(again.status == 0, "\(again.standardError)")
            #expect(again.standardOutput.contains("certificates purged 0, files deleted 0, bytes freed 0"))
            #expect(again.standardOutput.contains("already purged 5, not found 0, errors 0"), "\(again.standardOutput)")
            #expect(try await self.allCertificates(fixture) == after)

            let history = try await fixture.attest(["purge-pdfs", "--history"])
            #expect(history.status == 0, "\(history.standardError)")
            #expect(history.standardOutput.contains("run 1  succeeded"), "\(history.standardOutput)")
            #expect(history.standardOutput.contains("(operator Jane Doe)"))
            #expect(history.standardOutput.contains("run 2  succeeded"))
            let json = try await fixture.attest(["purge-pdfs", "--history", "--json"])
            let runs = try #require(
                try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
            #expect(runs.map { $0["id"] as? Int } == [2, 1])
            #expect(runs.last?["files_deleted"] as? Int == 5)
            let items = try await fixture.attest(["purge-pdfs", "--history", "--run", "1"])
            #expect(Self.lines(items.standardOutput, startingWith: "  deleted  ") == 5, "\(items.standardOutput)")
        }
    }

    @Test(
        "--dry-run lists what it would do, exits as the real run would, and changes nothing: the whole certificates table, the storage tree and the audit tables are the same afterwards"
    )
    func dryRunChangesNothing() async throws {
        try await PurgeFixture.with("purge-dry") { fixture in
            for index in 0..<4 { try await fixture.issue(index, learner: Self.learnerA) }
            try await fixture.issue(4, learner: Self.learnerC, revoked: true)
            try await fixture.issue(5, learner: Self.learnerB)
            try FileManager.default.removeItem(at: try fixture.file(of: 1))
            let outsideFile = fixture.outside.appendingPathComponent("dry.pdf")
            try Data("outside".utf8).write(to: outsideFile)
            try await fixture.tamper(2, path: "../outside/dry.pdf")
            let table = try await fixture.certificatesTable()
            let tree = try PurgeFixture.tree(fixture.directory)

            let dry = try await fixture.attest([
                "purge-pdfs", "--learner", Self.learnerA, "--learner", Self.learnerC, "--learner", "404", "--dry-run",
            ])
            // The refused row makes the real run fail, so the dry run exits 1 too.
            #expect(dry.status == 1, "\(dry.standardError)")
            let output = dry.standardOutput
            #expect(
                output.contains("would delete  \(PurgeFixture.code(0))  learner \(Self.learnerA)  certificates/"),
                "\(output)")
            #expect(output.contains("file missing, would clear link  \(PurgeFixture.code(1))"), "\(output)")
            #expect(
                output.contains("would refuse  \(PurgeFixture.code(2))  learner \(Self.learnerA)  ../outside/dry.pdf"))
            #expect(output.contains("would delete  \(PurgeFixture.code(4))  learner \(Self.learnerC)"))
            #expect(output.contains("not found  learner 404: no certificates"))
            #expect(
                output.contains(
                    "dry run, nothing changed: certificates purged 4, files deleted 3, bytes freed "
                ),
                "\(output)"
            )
            #expect(output.contains("files already missing 1, already purged 0, not found 1, errors 1"), "\(output)")
            #expect(try await fixture.certificatesTable() == table)
            #expect(try PurgeFixture.tree(fixture.directory) == tree)
            #expect(try await fixture.auditRows() == (0, 0))
        }
    }

    @Test(
        "a run SIGKILLed after some deletions, then run again, ends exactly like an uninterrupted run, and the audit has every outcome"
    )
    func killedRunResumes() async throws {
        let selection = ["purge-pdfs", "--learner", Self.learnerA, Self.learnerC, "--yes", "--batch-size", "4"]
        func populate(_ fixture: PurgeFixture) async throws {
            for index in 0..<25 {
                try await fixture.issue(
                    index, learner: index % 3 == 0 ? Self.learnerC : Self.learnerA, revoked: index == 3)
            }
            for index in 25..<28 { try await fixture.issue(index, learner: Self.learnerB) }
        }
        var uninterrupted: (certificates: String, tree: [String: String])?
        try await PurgeFixture.with("purge-whole") { fixture in
            try await populate(fixture)
            let run = try await fixture.attest(selection)
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardOutput.contains("certificates purged 25, files deleted 25"), "\(run.standardOutput)")
            uninterrupted = (try await fixture.comparableCertificates(), try PurgeFixture.tree(fixture.storage))
        }

        try await PurgeFixture.with("purge-killed") { fixture in
            try await populate(fixture)
            let killed = try await fixture.attest(selection + ["--halt-after-deletions", "10"]) { processID in
                try await Self.waitUntilStopped(processID)
                // While it holds the lock, a second purge is turned away and changes nothing.
                let second = try await fixture.attest(["purge-pdfs", "--learner", Self.learnerB, "--yes"])
                kill(processID, SIGKILL)
                #expect(second.status == 1)
                #expect(
                    second.standardError.contains("another attest purge-pdfs is running"), "\(second.standardError)")
            }
            #expect(killed.status == 128 + SIGKILL)
            #expect(PipelineTestSupport.files(under: fixture.storage).count == 28 - 10)
            // Two batches of four were settled; the third had deleted two of its files when the process died.
            let cleared = try await fixture.pool.query(
                "SELECT count(*) AS n FROM attest.certificates WHERE document_path IS NULL"
            ).first?.decode("n", as: Int.self)
            #expect(cleared == 8)

            let rerun = try await fixture.attest(selection)
            #expect(rerun.status == 0, "\(rerun.standardOutput)\n\(rerun.standardError)")
            let output = rerun.standardOutput
            #expect(output.contains("run 1 had been interrupted; this run finishes what it started"), "\(output)")
            #expect(output.components(separatedBy: "already deleted by interrupted run 1").count - 1 == 2, "\(output)")
            #expect(
                output.contains(
                    "certificates purged 17, files deleted 15, bytes freed "
                ),
                "\(output)"
            )
            #expect(output.contains("files already missing 2, already purged 8, not found 0, errors 0"), "\(output)")

            #expect(try await fixture.comparableCertificates() == uninterrupted?.certificates)
            #expect(try PurgeFixture.tree(fixture.storage) == uninterrupted?.tree)

            let runs = try await fixture.pool.query(
                "SELECT id, state::text AS state FROM attest.purge_runs ORDER BY id"
            )
            .map { "\(try $0.decode("id", as: Int.self)) \(try $0.decode("state", as: String.self))" }
            #expect(runs == ["1 interrupted", "2 succeeded"])
            let items = try await fixture.auditItems()
            #expect(items.filter { $0.hasPrefix("1 deleted ") }.count == 8)
            #expect(items.filter { $0.hasPrefix("1 interrupted ") }.count == 4)
            #expect(items.filter { $0.hasPrefix("2 already_purged ") }.count == 8)
            #expect(items.filter { $0.hasPrefix("2 missing_file ") }.count == 2)
            #expect(items.filter { $0.hasPrefix("2 deleted ") }.count == 15)
            #expect(!items.contains { $0.contains(" intent ") })
            // Every selected certificate ends with exactly one outcome that removed its file.
            for index in 0..<25 {
                let finals = items.filter {
                    $0.hasSuffix(" " + PurgeFixture.code(index))
                        && ($0.contains(" deleted ") || $0.contains(" missing_file "))
                }
                #expect(finals.count == 1, "certificate \(index): \(finals)")
            }
        }
    }

    @Test(
        "a run SIGKILLed at an arbitrary moment (no hook) and run again ends like an uninterrupted run, every certificate with one final outcome"
    )
    func killedAnywhereResumes() async throws {
        let selection = ["purge-pdfs", "--learner", Self.learnerA, Self.learnerC, "--yes", "--batch-size", "7"]
        func populate(_ fixture: PurgeFixture) async throws {
            for index in 0..<400 {
                try await fixture.issue(index, learner: index % 2 == 0 ? Self.learnerA : Self.learnerC)
            }
            try await fixture.issue(400, learner: Self.learnerB)
        }
        var uninterrupted: (certificates: String, tree: [String: String])?
        try await PurgeFixture.with("purge-whole") { fixture in
            try await populate(fixture)
            let run = try await fixture.attest(selection)
            #expect(run.status == 0, "\(run.standardError)")
            uninterrupted = (try await fixture.comparableCertificates(), try PurgeFixture.tree(fixture.storage))
        }

        try await PurgeFixture.with("purge-killed-anywhere") { fixture in
            try await populate(fixture)
            let storage = fixture.storage
            let killed = try await fixture.attest(selection) { processID in
                let deadline = ContinuousClock.now + .seconds(60)
                while PipelineTestSupport.files(under: storage).count > 401 - 50, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                kill(processID, SIGKILL)
            }
            #expect(killed.status == 128 + SIGKILL, "the run finished before it could be killed")
            let left = PipelineTestSupport.files(under: storage).count
            #expect(left > 1 && left < 401, "\(left) files left")

            let rerun = try await fixture.attest(selection)
            #expect(rerun.status == 0, "\(rerun.standardOutput)\n\(rerun.standardError)")
            #expect(rerun.standardOutput.contains("run 1 had been interrupted"))
            #expect(try await fixture.comparableCertificates() == uninterrupted?.certificates)
            #expect(try PurgeFixture.tree(fixture.storage) == uninterrupted?.tree)

            let items = try await fixture.auditItems()
            #expect(!items.contains { $0.contains(" intent ") })
            var finals: [String: Int] = [:]
            for item in items where item.contains(" deleted ") || item.contains(" missing_file ") {
                finals[String(item.split(separator: " ").last ?? ""), default: 0] += 1
            }
            #expect(finals.count == 400)
            #expect(finals.values.allSatisfy { $0 == 1 })
        }
    }

    @Test(
        "multi-digit and non-numeric ids are exact text, unknown ids are reported, a missing file is reported and its link cleared, and tampered paths are refused with nothing outside the root touched"
    )
    func idsMissingFilesAndTamperedPaths() async throws {
        try await PurgeFixture.with("purge-edge") { fixture in
            let ids = ["007", "12345678901234567890", "ext:ann.lee", "Zoë Ångström", "-5"]
            for (offset, id) in ids.enumerated() {
                try await fixture.issue(offset * 10, learner: id)
                try await fixture.issue(offset * 10 + 1, learner: id)
            }
            try await fixture.issue(100, learner: "7")
            try await fixture.issue(101, learner: "12345678901234567891")
            // A file already gone.
            try FileManager.default.removeItem(at: try fixture.file(of: 0))
            // Rows pointing outside the root: through .., absolutely, and through a symbolic link inside the root.
            let secret = fixture.outside.appendingPathComponent("secret.pdf")
            try Data("not Attest's".utf8).write(to: secret)
            try await fixture.tamper(20, path: "../outside/secret.pdf")
            try await fixture.tamper(21, path: secret.path)
            try FileManager.default.createSymbolicLink(
                at: fixture.storage.appendingPathComponent("certificates/link.pdf"),
                withDestinationURL: secret
            )
            try await fixture.tamper(30, path: "certificates/link.pdf")
            // A row pointed at another learner's file inside the root: its SHA-256 gives it away.
            let otherLearnersFile = try #require(try await fixture.certificate(100).documentPath)
            try await fixture.tamper(41, path: otherLearnersFile)
            let untouched = try await [fixture.certificate(100), fixture.certificate(101), fixture.certificate(20)]
            let outsideTree = try PurgeFixture.tree(fixture.outside)

            var arguments = ["purge-pdfs", "--yes"]
            for id in ids + ["999999999999999999999", "nobody", "0007"] { arguments += ["--learner=\(id)"] }
            let purge = try await fixture.attest(arguments)
            #expect(purge.status == 1, "\(purge.standardError)")
            let output = purge.standardOutput
            #expect(output.contains("file missing  \(PurgeFixture.code(0))  learner 007"), "\(output)")
            #expect(output.contains("the file was already gone; link cleared"))
            #expect(
                output.contains("refused  \(PurgeFixture.code(20))  learner ext:ann.lee  ../outside/secret.pdf"),
                "\(output)")
            #expect(output.contains("refused  \(PurgeFixture.code(21))  learner ext:ann.lee  \(secret.path)"))
            #expect(
                output.contains("refused  \(PurgeFixture.code(30))  learner Zoë Ångström  certificates/link.pdf")
            )
            #expect(output.contains("deleted  \(PurgeFixture.code(40))  learner -5"))
            #expect(output.contains("refused  \(PurgeFixture.code(41))  learner -5  \(otherLearnersFile)"), "\(output)")
            #expect(output.contains("the file's SHA-256 is not the one recorded for this certificate"))
            for unknown in ["999999999999999999999", "nobody", "0007"] {
                #expect(output.contains("not found  learner \(unknown): no certificates"), "\(output)")
            }
            #expect(output.contains("purge run 1 failed"))
            #expect(
                output.contains(
                    "certificates purged 6, files deleted 5, bytes freed "
                ),
                "\(output)"
            )
            #expect(output.contains("files already missing 1, already purged 0, not found 3, errors 4"), "\(output)")

            #expect(try PurgeFixture.tree(fixture.outside) == outsideTree)
            #expect(try Data(contentsOf: secret) == Data("not Attest's".utf8))
            #expect(
                try FileManager.default.destinationOfSymbolicLink(
                    atPath: fixture.storage.appendingPathComponent("certificates/link.pdf").path
                ) == secret.path
            )
            #expect(try await fixture.certificate(100) == untouched[0])
            #expect(try await fixture.certificate(101) == untouched[1])
            #expect(try await fixture.certificate(20) == untouched[2])
            #expect(try await fixture.certificate(21).documentPath == secret.path)
            #expect(try await fixture.certificate(0).documentPath == nil)
            #expect(try await fixture.certificate(0).documentPurgedAt != nil)
            #expect(FileManager.default.fileExists(atPath: try fixture.file(of: 100).path))
            #expect(FileManager.default.fileExists(atPath: try fixture.file(of: 101).path))
            let items = try await fixture.auditItems()
            #expect(items.filter { $0.contains(" refused_outside_root ") }.count == 3)
            #expect(items.contains("1 refused_hash_mismatch \(PurgeFixture.code(41))"))
            #expect(try await fixture.certificate(41).documentPath == otherLearnersFile)
            #expect(items.contains("1 missing_file \(PurgeFixture.code(0))"))
            let notFound = try await fixture.pool.query(
                "SELECT array_to_string(not_found, '|') AS ids FROM attest.purge_runs"
            ).first?.decode("ids", as: String.self)
            #expect(notFound == "999999999999999999999|nobody|0007")
        }
    }

    @Test(
        "a certificate still being rendered and a row whose path the store does not accept are errors: reported, exit 1, rows and files left as they were"
    )
    func pendingAndUnusablePathsAreErrors() async throws {
        try await PurgeFixture.with("purge-errors") { fixture in
            let pending = try await fixture.issue(0, learner: Self.learnerA, pending: true)
            try await fixture.issue(1, learner: Self.learnerA)
            try await fixture.issue(2, learner: Self.learnerA)
            try await fixture.tamper(1, path: "certificates")
            let untouched = try await [fixture.certificate(0), fixture.certificate(1)]

            let purge = try await fixture.attest(["purge-pdfs", "--learner", Self.learnerA, "--yes"])
            #expect(purge.status == 1)
            let output = purge.standardOutput
            #expect(output.contains("pending  \(PurgeFixture.code(0))  learner \(Self.learnerA)"), "\(output)")
            #expect(output.contains("still being rendered, so not purged"))
            #expect(output.contains("error  \(PurgeFixture.code(1))  learner \(Self.learnerA)  certificates  "))
            #expect(output.contains("the store does not accept the row's path"))
            #expect(output.contains("deleted  \(PurgeFixture.code(2))"))
            #expect(output.contains("purge run 1 failed"))
            #expect(output.contains("certificates purged 1, files deleted 1, "), "\(output)")
            #expect(output.hasSuffix("already purged 0, not found 0, errors 2\n"), "\(output)")
            #expect(try await fixture.certificate(0) == untouched[0])
            #expect(try await fixture.certificate(1) == untouched[1])
            #expect(FileManager.default.fileExists(atPath: try fixture.file(of: 0).path))
            #expect(FileManager.default.fileExists(atPath: try fixture.file(of: 1).path))
            #expect(pending.status == .pending)
            let items = try await fixture.auditItems()
            #expect(
                items == [
                    "1 pending \(PurgeFixture.code(0))", "1 error \(PurgeFixture.code(1))",
                    "1 deleted \(PurgeFixture.code(2))",
                ]
            )
        }
    }

    @Test("--certificate selects by code, case-insensitively; unknown and malformed codes are reported")
    func selectsByCertificateCode() async throws {
        try await PurgeFixture.with("purge-code") { fixture in
            for index in 0..<3 { try await fixture.issue(index, learner: Self.learnerA) }
            let purge = try await fixture.attest([
                "purge-pdfs", "--certificate", PurgeFixture.code(1).lowercased(), PurgeFixture.code(77), "not-a-code",
                "--yes",
            ])
            #expect(purge.status == 0, "\(purge.standardError)")
            #expect(purge.standardOutput.contains("deleted  \(PurgeFixture.code(1))"))
            #expect(purge.standardOutput.contains("not found  certificate \(PurgeFixture.code(77))"))
            #expect(purge.standardOutput.contains("not found  certificate not-a-code"), "\(purge.standardOutput)")
            #expect(purge.standardOutput.contains("certificates purged 1, files deleted 1"))
            #expect(try await fixture.certificate(0).documentPath != nil)
            #expect(try await fixture.certificate(1).documentPath == nil)
            #expect(PipelineTestSupport.files(under: fixture.storage).count == 2)
        }
    }

    @Test("--learners-file with 10,000 ids (comments, blank lines, repeats) completes quickly and reports correctly")
    func learnersFileWithTenThousandIDs() async throws {
        try await PurgeFixture.with("purge-file") { fixture in
            var known: [String] = []
            for index in 0..<20 {
                let id = "retired-\(index * 499)"
                known.append(id)
                try await fixture.issue(2 * index, learner: id)
                try await fixture.issue(2 * index + 1, learner: id)
            }
            try await fixture.issue(1_000, learner: "kept")
            let knownSet = Set(known)
            var lines = ["# learners retired in 2026", ""]
            var unknown = 0
            for index in 0..<10_000 {
                let id = "retired-\(index)"
                if !knownSet.contains(id) { unknown += 1 }
                lines.append(index % 1_000 == 0 ? "  \(id)  " : id)
                if index % 2_500 == 0 { lines += ["", "# batch \(index)", known[0]] }
            }
            let file = fixture.directory.appendingPathComponent("retired.txt")
            try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

            let started = ContinuousClock.now
            let purge = try await fixture.attest(["purge-pdfs", "--learners-file", file.path, "--yes"])
            let elapsed = ContinuousClock.now - started
            #expect(purge.status == 0, "\(purge.standardError)")
            #expect(elapsed < .seconds(60), "took \(elapsed)")
            #expect(
                purge.standardOutput.contains("certificates purged 40, files deleted 40"),
                "\(purge.standardOutput.suffix(500))")
            #expect(purge.standardOutput.contains("already purged 0, not found \(unknown), errors 0"))
            #expect(Self.lines(purge.standardOutput, startingWith: "not found  learner ") == unknown)
            #expect(PipelineTestSupport.files(under: fixture.storage).count == 1)
            let requested = try await fixture.pool.query(
                "SELECT cardinality(learner_ids) AS n, cardinality(not_found) AS missing FROM attest.purge_runs"
            ).first
            #expect(try requested?.decode("n", as: Int.self) == 10_000)
            #expect(try requested?.decode("missing", as: Int.self) == unknown)

            let dry = try await fixture.attest(["purge-pdfs", "--learners-file", file.path, "--dry-run"])
            #expect(dry.standardOutput.contains("already purged 40, not found \(unknown), errors 0"))
        }
    }

    @Test(
        "without a terminal, purging needs --yes (usage error 64, nothing changed); contradictory flags are usage errors"
    )
    func usageErrors() async throws {
        try await PurgeFixture.with("purge-usage") { fixture in
            try await fixture.issue(0, learner: Self.learnerA)
            let table = try await fixture.certificatesTable()
            let tree = try PurgeFixture.tree(fixture.storage)
            let noYes = try await fixture.attest(["purge-pdfs", "--learner", Self.learnerA])
            #expect(noYes.status == 64)
            #expect(noYes.standardError.contains("pass --yes"), "\(noYes.standardError)")
            for arguments in [
                ["purge-pdfs", "--yes"],
                ["purge-pdfs", "--learner", "a", "--certificate", PurgeFixture.code(0), "--yes"],
                ["purge-pdfs", "--history", "--learner", "a"],
                ["purge-pdfs", "--learner", "a", "--json", "--yes"],
            ] {
                let result = try await fixture.attest(arguments)
                #expect(result.status == 64, "\(arguments): \(result.standardError)")
            }
            let emptyFile = fixture.directory.appendingPathComponent("empty.txt")
            try "# nobody yet\n\n".write(to: emptyFile, atomically: true, encoding: .utf8)
            let empty = try await fixture.attest(["purge-pdfs", "--learners-file", emptyFile.path, "--yes"])
            #expect(empty.status == 64)
            #expect(empty.standardError.contains("lists no learner ids"))
            var environment = fixture.environment
            environment["ATTEST_STORAGE_DIR"] = fixture.directory.appendingPathComponent("no-such-dir").path
            let wrongRoot = try await RunningProcess.run(
                try IntegrationEnvironment.attestExecutable,
                arguments: ["purge-pdfs", "--learner", Self.learnerA, "--yes"],
                environment: environment
            )
            #expect(wrongRoot.status == 1)
            #expect(wrongRoot.standardError.contains("does not exist"), "\(wrongRoot.standardError)")
            #expect(
                !FileManager.default.fileExists(atPath: fixture.directory.appendingPathComponent("no-such-dir").path))
            let help = try await fixture.attest(["purge-pdfs", "--help"])
            #expect(help.status == 0)
            #expect(help.standardOutput.contains("--learners-file"))
            #expect(help.standardOutput.contains("--dry-run"))
            #expect(!help.standardOutput.contains("halt-after"))
            #expect(try await fixture.certificatesTable() == table)
            #expect(try PurgeFixture.tree(fixture.storage) == tree)
            #expect(try await fixture.auditRows() == (0, 0))
        }
    }

    @Test("on a terminal without --yes it shows the counts and asks; anything but yes changes nothing")
    func asksOnATerminal() async throws {
        let script = try #require(RunningProcess.which("script"), "util-linux script is needed for a pseudo-terminal")
        try await PurgeFixture.with("purge-tty") { fixture in
            for index in 0..<2 { try await fixture.issue(index, learner: Self.learnerA) }
            let attest = try IntegrationEnvironment.attestExecutable.path
            func onTerminal(answer: String) async throws -> RunningProcess {
                let command = "\(attest) purge-pdfs --learner \(Self.learnerA)"
                return try await RunningProcess.run(
                    URL(fileURLWithPath: "/bin/sh"),
                    arguments: ["-c", "printf '\(answer)\\n' | \(script.path) -qec '\(command)' /dev/null"],
                    environment: fixture.environment
                )
            }
            let declined = try await onTerminal(answer: "no")
            #expect(declined.standardOutput.contains("About to delete 2 PDF file(s)"), "\(declined.standardOutput)")
            #expect(declined.standardOutput.contains("not confirmed; nothing was changed"))
            #expect(PipelineTestSupport.files(under: fixture.storage).count == 2)
            #expect(try await fixture.auditRows() == (0, 0))

            let accepted = try await onTerminal(answer: "yes")
            #expect(
                accepted.standardOutput.contains("certificates purged 2, files deleted 2"), "\(accepted.standardOutput)"
            )
            #expect(accepted.standardOutput.contains("purging: 1 of 2 certificates done"), "\(accepted.standardOutput)")
            #expect(PipelineTestSupport.files(under: fixture.storage).isEmpty)
        }
    }

    // MARK: - Helpers

    private static func lines(_ output: String, startingWith prefix: String) -> Int {
        output.split(separator: "\n").filter { $0.hasPrefix(prefix) }.count
    }

    private func certificates(of learner: String, _ fixture: PurgeFixture) async throws -> [CertificateRecord] {
        try await fixture.pool.withConnection { try await CertificateRepository().list(learnerID: learner, on: $0) }
    }

    private func allCertificates(_ fixture: PurgeFixture) async throws -> [CertificateRecord] {
        var all: [CertificateRecord] = []
        for learner in [Self.learnerA, Self.learnerB, Self.learnerC] {
            all += try await self.certificates(of: learner, fixture)
        }
        return all.sorted { $0.id.uuidString < $1.id.uuidString }
    }

    /// Waits until the process is stopped (state `T` in /proc), as `--halt-after-deletions` leaves it.
    static func waitUntilStopped(_ processID: Int32) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let stat = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"),
                stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("T")
            {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSupportError("attest purge-pdfs did not stop at --halt-after-deletions within 60 s")
    }
}
