// Attest — certificates and documents you can verify. Apache-2.0.

import AttestFiles
import Foundation
import Testing

@Suite("LocalDocumentStore: nothing is written, read or deleted outside the root")
struct LocalDocumentStoreConfinementTests {
    static let refusedPaths: [RefusedPath] = [
        "../x", "a/../../x", "..", "a/..", "/etc/passwd", "", "a/./b", ".", "./a", "a\u{0}b", "\u{0}",
        "a\\b", "..\\x", "a//b", "a/", "/", ".tmp-x", "a/.tmp-1234", .init(String(repeating: "n", count: 256)),
    ]

    @Test("Bad paths are refused by every operation and nothing appears anywhere", arguments: Self.refusedPaths)
    func refusedPath(_ refused: RefusedPath) async throws {
        let path = refused.path
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            _ = try await store.write(Array("keep".utf8), to: "a/keep.pdf")
            for operation in Operation.allCases {
                let error = await #expect(throws: StorageError.self, "\(operation)") {
                    try await operation.run(store, path)
                }
                #expect(error?.code == .invalidPath || error?.code == .pathOutsideRoot)
                #expect(error?.description.contains(sandbox.base.path) == false)
            }
            #expect(try sandbox.outsideEntries() == [])
            #expect(try sandbox.entries(below: sandbox.root) == ["a", "a/keep.pdf"])
            #expect(try sandbox.entries(below: sandbox.base.path) == ["outside", "root", "root/a", "root/a/keep.pdf"])
        }
    }

    @Test("An absolute path into the outside directory is refused")
    func absolutePathOutside() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            try sandbox.writeFile("victim", at: sandbox.outside + "/victim.pdf")
            for operation in Operation.allCases {
                let error = await #expect(throws: StorageError.self, "\(operation)") {
                    try await operation.run(store, sandbox.outside + "/victim.pdf")
                }
                #expect(error?.code == .pathOutsideRoot)
            }
            let relative = await #expect(throws: StorageError.self) {
                try await store.write(Array("x".utf8), to: "../outside/new.pdf")
            }
            #expect(relative?.code == .pathOutsideRoot)
            #expect(try sandbox.outsideEntries() == ["victim.pdf"])
            #expect(try sandbox.contents(of: sandbox.outside + "/victim.pdf") == "victim")
        }
    }

    @Test("A directory link inside the root that points outside is refused by every operation")
    func directoryLinkOutside() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            try sandbox.writeFile("victim", at: sandbox.outside + "/victim.pdf")
            try sandbox.link(sandbox.root + "/escape", to: sandbox.outside)
            try FileManager.default.createDirectory(atPath: sandbox.root + "/deep", withIntermediateDirectories: false)
            try sandbox.link(sandbox.root + "/deep/escape", to: sandbox.outside)

            for path in ["escape/victim.pdf", "escape/new.pdf", "escape/sub/new.pdf", "deep/escape/victim.pdf"] {
                for operation in Operation.allCases {
                    let error = await #expect(throws: StorageError.self, "\(operation) \(path)") {
                        try await operation.run(store, path)
                    }
                    #expect(error?.code == .pathOutsideRoot, "\(operation) \(path)")
                }
            }
            #expect(try sandbox.outsideEntries() == ["victim.pdf"])
            #expect(try sandbox.contents(of: sandbox.outside + "/victim.pdf") == "victim")
            // The links themselves are left alone as well.
            #expect(
                try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.root + "/escape") == sandbox.outside
            )
        }
    }

    @Test("A directory link that points inside the root is refused too: the store follows no link")
    func directoryLinkInside() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            _ = try await store.write(Array("abc".utf8), to: "real/file.pdf")
            try sandbox.link(sandbox.root + "/alias", to: sandbox.root + "/real")
            let error = await #expect(throws: StorageError.self) { try await store.read("alias/file.pdf") }
            #expect(error?.code == .pathOutsideRoot)
        }
    }

    @Test("A file link inside the root that points outside is refused by every operation")
    func fileLinkOutside() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            try sandbox.writeFile("secret", at: sandbox.outside + "/target.pdf")
            try sandbox.link(sandbox.root + "/evil.pdf", to: sandbox.outside + "/target.pdf")
            try sandbox.link(sandbox.root + "/dangling.pdf", to: sandbox.outside + "/not-there.pdf")

            for path in ["evil.pdf", "dangling.pdf"] {
                for operation in Operation.allCases {
                    let error = await #expect(throws: StorageError.self, "\(operation) \(path)") {
                        try await operation.run(store, path)
                    }
                    #expect(error?.code == .pathOutsideRoot, "\(operation) \(path)")
                }
            }
            #expect(try sandbox.outsideEntries() == ["target.pdf"])
            #expect(try sandbox.contents(of: sandbox.outside + "/target.pdf") == "secret")
            #expect(try sandbox.entries(below: sandbox.root) == ["dangling.pdf", "evil.pdf"])
        }
    }

    @Test("Errors carry the relative path separately and never the root")
    func errorsHideTheRoot() async throws {
        try await Sandbox.with { sandbox in
            let store = try LocalDocumentStore(root: sandbox.root)
            let error = await #expect(throws: StorageError.self) { try await store.read("missing/file.pdf") }
            #expect(error?.code == .notFound)
            #expect(error?.path == "missing/file.pdf")
            #expect(error?.description.contains(sandbox.base.path) == false)
            #expect(error?.description.contains("missing/file.pdf") == false)
        }
    }
}

/// A path the store must refuse, shown escaped in test names (it may hold a NUL byte).
struct RefusedPath: Sendable, ExpressibleByStringLiteral, CustomTestStringConvertible {
    let path: String

    init(_ path: String) {
        self.path = path
    }

    init(stringLiteral value: String) {
        self.path = value
    }

    var testDescription: String { self.path.debugDescription }
}
