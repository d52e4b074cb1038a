// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// The host side: runs inside `attest conversion-host`, loads LibreOffice once and converts one request at a time.
///
/// Requests arrive as JSON lines on fd 3 and answers leave on fd 4, so nothing LibreOffice prints on stdout or
/// stderr can corrupt the protocol. The host exits when fd 3 closes or its parent goes away.
public enum ConversionHostServer {
    /// File descriptor the host reads requests from.
    static let requestDescriptor: Int32 = 3
    /// File descriptor the host writes messages to.
    static let answerDescriptor: Int32 = 4

    /// How the host was started; the pool builds these arguments.
    public struct Options: Sendable {
        /// LibreOffice's `program` directory.
        public var installPath: String
        /// The host's profile directory (a path; converted to a file: URL here).
        public var profileDirectory: String
        /// Whether the host runs in its own network namespace (set after the re-exec).
        public var networkIsolated: Bool
        /// Why the host could not get its own network namespace, when it was asked to and could not.
        public var networkIsolationFailure: String?
        /// Test hook: when this file exists at a request, delete it and never answer (simulates a hung LibreOffice).
        public var hangMarker: String?

        /// Creates options; see each field.
        public init(
            installPath: String,
            profileDirectory: String,
            networkIsolated: Bool,
            networkIsolationFailure: String?,
            hangMarker: String?
        ) {
            self.installPath = installPath
            self.profileDirectory = profileDirectory
            self.networkIsolated = networkIsolated
            self.networkIsolationFailure = networkIsolationFailure
            self.hangMarker = hangMarker
        }
    }

    /// Moves this process into a new, empty network namespace and re-executes it with `marker` appended.
    ///
    /// Only returns when that is impossible (not root, no permission), with the reason; the host then runs
    /// with the network it has and says so in its `ready` message, and the pool logs a warning.
    public static func isolateNetwork(arguments: [String], marker: String) -> String {
        guard geteuid() == 0 else { return "not running as root" }
        typealias Unshare = @convention(c) (Int32) -> Int32
        // Glibc's Swift module does not export unshare(2); look it up in the already loaded libc.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "unshare") else {
            return "unshare(2) is not available"
        }
        let unshare = unsafeBitCast(symbol, to: Unshare.self)
        let cloneNewNet: Int32 = 0x4000_0000
        guard unshare(cloneNewNet) == 0 else {
            return "unshare(CLONE_NEWNET) failed: \(String(cString: strerror(errno)))"
        }
        // Exec replaces every thread, so the whole new image lives in the new namespace.
        let all = arguments + [marker]
        var pointers = all.map { strdup($0) }
        pointers.append(nil)
        execv("/proc/self/exe", &pointers)
        return "re-exec after unshare failed: \(String(cString: strerror(errno)))"
    }

    /// Runs the host until its request pipe closes; returns the process exit status.
    public static func run(_ options: Options) -> Int32 {
        self.watchParent()
        signal(SIGPIPE, SIG_IGN)
        let profileURL = URL(fileURLWithPath: options.profileDirectory, isDirectory: true).absoluteString
        let office: LibreOfficeKitOffice
        do {
            office = try LibreOfficeKitOffice(installPath: options.installPath, profileURL: profileURL)
        } catch {
            _ = self.send(
                HostMessage(
                    kind: .ready,
                    ok: false,
                    code: ConversionError.Code.hostStartFailed.rawValue,
                    message: "\(error)",
                    processID: getpid()
                )
            )
            return 1
        }
        let ready = HostMessage(
            kind: .ready,
            ok: true,
            message: options.networkIsolationFailure,
            residentBytes: ProcessInfoReader.residentBytes(of: getpid()),
            processID: getpid(),
            networkIsolated: options.networkIsolated
        )
        guard self.send(ready) else { return 1 }

        var reader = LineReader(descriptor: self.requestDescriptor)
        let decoder = JSONDecoder()
        while let line = reader.nextLine() {
            guard let request = try? decoder.decode(HostRequest.self, from: Data(line)) else { return 2 }
            if let marker = options.hangMarker, FileManager.default.fileExists(atPath: marker) {
                try? FileManager.default.removeItem(atPath: marker)
                self.hangForever()
            }
            let answer = self.convert(request, office: office)
            guard self.send(answer) else { return 1 }
        }
        // Leave without running LibreOffice's teardown: the pool is done with us and exit is faster and safer.
        _exit(0)
    }

    // MARK: - Converting

    private static func convert(_ request: HostRequest, office: LibreOfficeKitOffice) -> HostMessage {
        let clock = ContinuousClock()
        let started = clock.now
        // The document is destroyed when `loadAndSave` returns, so the measured time includes closing it, as it
        // would for any in-process LibreOfficeKit converter that keeps its memory in check.
        let outcome = self.loadAndSave(request, office: office)
        let elapsed = (clock.now - started).seconds
        let resident = ProcessInfoReader.residentBytes(of: getpid())
        switch outcome {
        case .success(let parts):
            return HostMessage(
                kind: .answer,
                id: request.id,
                ok: true,
                parts: parts,
                officeSeconds: elapsed,
                residentBytes: resident,
                processID: getpid()
            )
        case .failure(let error):
            return HostMessage(
                kind: .answer,
                id: request.id,
                ok: false,
                code: error.code.rawValue,
                message: error.message,
                officeSeconds: elapsed,
                residentBytes: resident,
                processID: getpid()
            )
        }
    }

    private static func loadAndSave(_ request: HostRequest, office: LibreOfficeKitOffice) -> Result<
        Int, ConversionError
    > {
        let inputURL = URL(fileURLWithPath: request.input).absoluteString
        let outputURL = URL(fileURLWithPath: request.output).absoluteString
        let document: LibreOfficeKitDocument
        switch office.load(url: inputURL) {
        case .success(let loaded): document = loaded
        case .failure(let error): return .failure(error)
        }
        guard document.kind == .presentation else {
            return .failure(
                ConversionError(
                    .wrongDocumentType,
                    "LibreOffice opened the file as a \(document.kind), not a presentation"
                )
            )
        }
        let parts = document.parts
        guard document.save(url: outputURL, format: "pdf", filterOptions: "") else {
            return .failure(
                ConversionError(.invalidOutput, "LibreOffice could not export the PDF: \(office.lastError())")
            )
        }
        return .success(parts)
    }

    // MARK: - Plumbing

    private static func send(_ message: HostMessage) -> Bool {
        guard var data = try? JSONEncoder().encode(message) else { return false }
        data.append(0x0A)
        return data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(self.answerDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Simulates a LibreOffice that hangs: a child in the same process group, and a host that never answers.
    private static func hangForever() -> Never {
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("sleep"), strdup("3600"), nil]
        _ = posix_spawn(&pid, "/bin/sleep", nil, nil, &argv, environ)
        while true { pause() }
    }

    /// Kills this host's process group when the parent dies, so no host outlives its worker.
    private static func watchParent() {
        let parent = getppid()
        // A plain thread, not a Task: it must keep running while LibreOffice blocks the host in C code.
        let thread = Thread {
            while true {
                sleep(1)
                if getppid() != parent { kill(0, SIGKILL) }
            }
        }
        thread.start()
    }
}

/// Reads newline-terminated lines from a file descriptor, blocking.
struct LineReader {
    let descriptor: Int32
    private var buffer: [UInt8] = []

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next line without its newline, or nil at end of file or on a read error.
    mutating func nextLine() -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let newline = self.buffer.firstIndex(of: 0x0A) {
                let line = Array(self.buffer[..<newline])
                self.buffer.removeSubrange(...newline)
                return line
            }
            let count = chunk.withUnsafeMutableBytes { read(self.descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            self.buffer.append(contentsOf: chunk[0..<count])
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let parts = self.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
