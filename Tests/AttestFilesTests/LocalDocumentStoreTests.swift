// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import Testing

@testable import AttestFiles

#if canImport(Glibc)
    import Glibc
#endif

@Suite("LocalDocumentStore: writing, reading, deleting, listing")
struct LocalDocumentStoreTests {
    /// SHA-256 of "abc" (FIPS 180-2, appendix B.1).
    static let abcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    /// SHA-256 of one million "a" (FIPS 180-2, appendix B.3); spans many 64 KiB write chunks.
    static let millionADigest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    /// SHA-256 of nothing.
    static let emptyDigest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    @Test("A write reads back with the right SHA-256 and size")
    func roundTrip() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            let stored = try await store.write(Array("abc".utf8), to: "certificates/2026/11/abc.pdf")
            #expect(
                stored == StoredDocument(path: "certificates/2026/11/abc.pdf", sha256: Self.abcDigest, byteCount: 3)
            )
            #expect(try await store.read("certificates/2026/11/abc.pdf") == Array("abc".utf8))
            #expect(try await store.exists("certificates/2026/11/abc.pdf"))
            #expect(try sandbox.contents(of: sandbox.root + "/certificates/2026/11/abc.pdf") == "abc")

            let big = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
            let bigStored = try await store.write(big, to: "big.pdf")
            #expect(bigStored.sha256 == Self.millionADigest)
            #expect(bigStored.byteCount == 1_000_000)
            #expect(try await store.read("big.pdf") == big)

            let empty = try await store.write([], to: "empty.pdf")
            #expect(empty.sha256 == Self.emptyDigest)
            #expect(empty.byteCount == 0)
            #expect(try await store.read("empty.pdf") == [])
        }
    }

    @Test("The written file has mode 0644 less the umask and no temporary file is left")
    func fileMode() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            _ = try await store.write(Array("abc".utf8), to: "a/b.pdf")
            let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.root + "/a/b.pdf")
            let permissions = try #require(attributes[.posixPermissions] as? Int)
            #expect(permissions & 0o7133 == 0)  // no execute, no group or other write, no set-id bits
            #expect(try sandbox.entries(below: sandbox.root) == ["a", "a/b.pdf"])
        }
    }

    @Test("The root is created if missing, and may be reached through a symbolic link")
    func rootCreation() async throws {
        try await Sandbox.with { sandbox in
            let nested = sandbox.base.appendingPathComponent("x/y/z").path
            let store = try LocalDocumentStore(root: nested)
            _ = try await store.write(Array("abc".utf8), to: "f")
            #expect(try sandbox.contents(of: nested + "/f") == "abc")

            let linked = sandbox.base.appendingPathComponent("linked-root").path
            try sandbox.link(linked, to: nested)
            let linkedStore = try LocalDocumentStore(root: linked)
            #expect(try await linkedStore.read("f") == Array("abc".utf8))
            _ = try await linkedStore.write(Array("def".utf8), to: "g")
            #expect(try sandbox.contents(of: nested + "/g") == "def")
        }
    }

    @Test("A temporary file left by a crashed write is taken over by the next write of the same target")
    func crashLeftoverIsReused() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            try FileManager.default.createDirectory(atPath: sandbox.root + "/c", withIntermediateDirectories: true)
            let leftover = sandbox.root + "/c/" + LocalDocumentStore.temporaryName(for: "doc.pdf")
            try sandbox.writeFile("half a PDF from a killed worker, longer than what comes next", at: leftover)
            let stored = try await store.write(Array("abc".utf8), to: "c/doc.pdf")
            #expect(stored.sha256 == Self.abcDigest)
            #expect(try await store.read("c/doc.pdf") == Array("abc".utf8))
            #expect(try sandbox.entries(below: sandbox.root) == ["c", "c/doc.pdf"])
        }
    }

    @Test("While another writer holds the target's temporary file, a write waits for it, then replaces the file")
    func concurrentWriterIsAwaited() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            _ = try await store.write(Array("first version".utf8), to: "c/doc.pdf")
            let temporary = sandbox.root + "/c/" + LocalDocumentStore.temporaryName(for: "doc.pdf")
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            try #require(descriptor >= 0)
            try #require(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
            let write = Task { try await store.write(Array("abc".utf8), to: "c/doc.pdf") }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await store.read("c/doc.pdf") == Array("first version".utf8), "the write did not wait")
            // The other writer gives up without renaming: its file is taken over.
            close(descriptor)
            #expect(try await write.value.sha256 == Self.abcDigest)
            #expect(try await store.read("c/doc.pdf") == Array("abc".utf8))
            #expect(try sandbox.entries(below: sandbox.root) == ["c", "c/doc.pdf"])
        }
    }

    @Test("An overwrite replaces the file")
    func overwrite() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            _ = try await store.write(Array("first version".utf8), to: "c/doc.pdf")
            let second = try await store.write(Array("abc".utf8), to: "c/doc.pdf")
            #expect(second.sha256 == Self.abcDigest)
            #expect(try await store.read("c/doc.pdf") == Array("abc".utf8))
            #expect(try await store.allPaths() == ["c/doc.pdf"])
            #expect(try sandbox.entries(below: sandbox.root) == ["c", "c/doc.pdf"])
        }
    }

    @Test("Readers racing overwrites only ever see one whole version")
    func overwriteIsAtomic() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            let versions = (0..<12).map { [UInt8](repeating: UInt8($0), count: 200_000) }
            _ = try await store.write(versions[0], to: "race.pdf")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for version in versions.dropFirst() {
                        _ = try await store.write(version, to: "race.pdf")
                    }
                }
                for _ in 0..<2 {
                    group.addTask {
                        for _ in 0..<30 {
                            let bytes = try await store.read("race.pdf")
                            #expect(versions.contains(bytes))
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.read("race.pdf") == versions[versions.count - 1])
            #expect(try sandbox.entries(below: sandbox.root) == ["race.pdf"])
        }
    }

    @Test("Delete returns true, then false; the file is gone")
    func delete() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            _ = try await store.write(Array("abc".utf8), to: "d/e.pdf")
            #expect(try await store.delete("d/e.pdf"))
            #expect(try await store.delete("d/e.pdf") == false)
            #expect(try await store.exists("d/e.pdf") == false)
            #expect(try await store.delete("never/written.pdf") == false)
            #expect(try await store.exists("never/written.pdf") == false)
            let error = await #expect(throws: StorageError.self) { try await store.read("d/e.pdf") }
            #expect(error?.code == .notFound)
            let missingParent = await #expect(throws: StorageError.self) { try await store.read("never/written.pdf") }
            #expect(missingParent?.code == .notFound)
        }
    }

    @Test("allPaths lists every stored file and no temporary files, directories or links")
    func allPaths() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            #expect(try await store.allPaths() == [])
            for path in ["z.pdf", "a/b/c.pdf", "a/b/d.pdf", "a/e.pdf", ".hidden"] {
                _ = try await store.write(Array(path.utf8), to: path)
            }
            try sandbox.writeFile("left over by a crash", at: sandbox.root + "/a/.tmp-0123456789abcdef")
            try FileManager.default.createDirectory(atPath: sandbox.root + "/empty", withIntermediateDirectories: false)
            try sandbox.writeFile("elsewhere", at: sandbox.outside + "/x.pdf")
            try sandbox.link(sandbox.root + "/link.pdf", to: sandbox.outside + "/x.pdf")
            try sandbox.link(sandbox.root + "/linkdir", to: sandbox.outside)
            #expect(try await store.allPaths() == [".hidden", "a/b/c.pdf", "a/b/d.pdf", "a/e.pdf", "z.pdf"])
        }
    }

    @Test("Directories and files in the way are reported, not replaced")
    func wrongKinds() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            _ = try await store.write(Array("abc".utf8), to: "dir/file.pdf")
            for operation in Operation.allCases {
                let onDirectory = await #expect(throws: StorageError.self) { try await operation.run(store, "dir") }
                #expect(onDirectory?.code == .invalidPath)
            }
            let throughFile = await #expect(throws: StorageError.self) {
                try await store.write(Array("x".utf8), to: "dir/file.pdf/inner")
            }
            #expect(throughFile?.code == .invalidPath)
            #expect(try await store.read("dir/file.pdf") == Array("abc".utf8))
        }
    }
}

/// The store's operations, so that each refusal can be checked for all of them.
enum Operation: String, CaseIterable, CustomTestStringConvertible {
    case write, read, delete, exists

    var testDescription: String { self.rawValue }

    func run(_ store: LocalDocumentStore, _ path: String) async throws {
        switch self {
        case .write: _ = try await store.write(Array("payload".utf8), to: path)
        case .read: _ = try await store.read(path)
        case .delete: _ = try await store.delete(path)
        case .exists: _ = try await store.exists(path)
        }
    }
}
