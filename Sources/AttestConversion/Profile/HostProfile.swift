// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// One host's private directory: LibreOffice profile, HOME, TMPDIR and log, created before the host starts.
struct HostProfile: Sendable {
    /// The host's root directory.
    let root: URL

    var profileDirectory: URL { self.root.appendingPathComponent("profile", isDirectory: true) }
    var homeDirectory: URL { self.root.appendingPathComponent("home", isDirectory: true) }
    var temporaryDirectory: URL { self.root.appendingPathComponent("tmp", isDirectory: true) }
    var logFile: URL { self.root.appendingPathComponent("host.log") }

    /// Creates the directories and the locked-down `registrymodifications.xcu` if they are missing.
    func prepare() throws {
        let files = FileManager.default
        let user = self.profileDirectory.appendingPathComponent("user", isDirectory: true)
        for directory in [user, self.homeDirectory, self.temporaryDirectory] {
            try files.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let registry = user.appendingPathComponent("registrymodifications.xcu")
        if !files.fileExists(atPath: registry.path) {
            try Data(Self.registryModifications.utf8).write(to: registry, options: .atomic)
        }
    }

    /// Deletes what a killed LibreOffice leaves behind so the next host can use the profile: lock files and
    /// the temporary directory's contents.
    func removeLeftovers() {
        let files = FileManager.default
        for lock in [
            self.profileDirectory.appendingPathComponent(".lock"),
            self.profileDirectory.appendingPathComponent("user/.lock"),
        ] {
            try? files.removeItem(at: lock)
        }
        if let names = try? files.contentsOfDirectory(atPath: self.temporaryDirectory.path) {
            for name in names { try? files.removeItem(at: self.temporaryDirectory.appendingPathComponent(name)) }
        }
    }

    /// The last lines LibreOffice and the host wrote to stdout/stderr (for a failed start).
    func logTail(maxBytes: Int = 2_000) -> String {
        guard let handle = try? FileHandle(forReadingFrom: self.logFile) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(maxBytes) ? size - UInt64(maxBytes) : 0)
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    /// Deletes the whole directory (pool shutdown).
    func remove() {
        try? FileManager.default.removeItem(at: self.root)
    }

    /// Macros off (never run, highest security level), links to external content blocked and never updated
    /// (Writer 0 and Calc 1 both mean "never"),
    /// no document lock files, no crash reporter, no first-start or update-check jobs.
    static let registryModifications = """
        <?xml version="1.0" encoding="UTF-8"?>
        <oor:items xmlns:oor="http://openoffice.org/2001/registry" \
        xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
        oor:op="fuse"><value>true</value></prop></item>
        <item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
        oor:op="fuse"><value>3</value></prop></item>
        <item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
        oor:op="fuse"><value>true</value></prop></item>
        <item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse">\
        <value>false</value></prop></item>
        <item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="CrashReport" oor:op="fuse">\
        <value>false</value></prop></item>
        <item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse">\
        <value>false</value></prop></item>
        <item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse">\
        <value>0</value></prop></item>
        <item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse">\
        <value>1</value></prop></item>
        <item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse">\
        <value>true</value></prop></item>
        </oor:items>

        """
}
