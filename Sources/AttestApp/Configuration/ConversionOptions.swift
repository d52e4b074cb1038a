// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestConversion
import Foundation

/// Flags of the commands that convert decks; each overrides the environment variable named in its help.
struct ConversionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("LibreOffice host processes. Overrides ATTEST_CONVERSION_HOSTS. Default 2.", valueName: "n")
    )
    var hosts: Int?

    @Option(
        help: ArgumentHelp(
            "Seconds before a conversion is killed. Overrides ATTEST_CONVERSION_TIMEOUT. Default 120.",
            valueName: "seconds"
        )
    )
    var timeout: Int?

    @Option(
        help: ArgumentHelp(
            "Conversions before a host is replaced. Overrides ATTEST_CONVERSION_MAX_PER_HOST. Default 200.",
            valueName: "n"
        )
    )
    var maxPerHost: Int?

    @Option(
        help: ArgumentHelp(
            "Host memory (MiB) above which it is replaced. Overrides ATTEST_CONVERSION_RECYCLE_MB. Default 1024.",
            valueName: "mib"
        )
    )
    var recycleMB: Int?

    /// The pool configuration: flags, then environment, then the pool's defaults; a fresh private work directory.
    func poolConfiguration(environment: [String: String] = AttestSettings.processEnvironment) throws
        -> ConversionPool.Configuration
    {
        func integer(_ flag: Int?, _ name: String) throws -> Int? {
            if let flag { return flag }
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = Int(text) else { throw ValidationError("\(name) is \"\(text)\"; use a whole number") }
            return value
        }
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var configuration = ConversionPool.Configuration(
            workDirectory: try Self.makeWorkDirectory(),
            hostExecutable: executable
        )
        if let hosts = try integer(self.hosts, "ATTEST_CONVERSION_HOSTS") { configuration.hosts = hosts }
        if let timeout = try integer(self.timeout, "ATTEST_CONVERSION_TIMEOUT") {
            configuration.conversionTimeout = .seconds(timeout)
        }
        if let max = try integer(self.maxPerHost, "ATTEST_CONVERSION_MAX_PER_HOST") {
            configuration.maxConversionsPerHost = max
        }
        if let recycle = try integer(self.recycleMB, "ATTEST_CONVERSION_RECYCLE_MB") {
            configuration.recycleResidentBytes = recycle << 20
            configuration.maxResidentBytes = max(configuration.maxResidentBytes, recycle << 20)
        }
        if let office = environment["ATTEST_OFFICE_PATH"], !office.isEmpty { configuration.officeInstallPath = office }
        do {
            try configuration.validate()
        } catch let error as ConversionError {
            try? FileManager.default.removeItem(at: configuration.workDirectory)
            throw ValidationError(error.message)
        }
        return configuration
    }

    /// A new directory only this process uses, under TMPDIR (mkdtemp), for host profiles and job copies.
    ///
    /// It holds an `owner.pid` file; directories left by processes that died without cleaning up (SIGKILL, power
    /// loss) are removed here when their owner is gone.
    static func makeWorkDirectory() throws -> URL {
        let parent = FileManager.default.temporaryDirectory
        Self.removeAbandonedWorkDirectories(in: parent)
        var template = Array(parent.appendingPathComponent("attest-conversion-XXXXXX").path.utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ValidationError("cannot create a private work directory under TMPDIR")
        }
        let directory = URL(fileURLWithPath: String(cString: made), isDirectory: true)
        try? Data("\(getpid())\n".utf8).write(to: directory.appendingPathComponent("owner.pid"))
        return directory
    }

    private static func removeAbandonedWorkDirectories(in parent: URL) {
        let files = FileManager.default
        guard let names = try? files.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix("attest-conversion-") {
            let directory = parent.appendingPathComponent(name, isDirectory: true)
            guard let text = try? String(contentsOf: directory.appendingPathComponent("owner.pid"), encoding: .utf8),
                let owner = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            // kill(pid, 0) fails with ESRCH when no such process exists.
            if kill(owner, 0) != 0, errno == ESRCH { try? files.removeItem(at: directory) }
        }
    }
}
