// Attest — certificates and documents you can verify. Apache-2.0.

public import ArgumentParser
import Foundation

/// The root of the `attest` command tree; every subcommand registers here.
public struct AttestCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Render verifiable certificates and convert documents, with PostgreSQL as the queue.",
        discussion: """
            Configuration comes from the environment (DATABASE_URL, ATTEST_STORAGE_DIR, \
            ATTEST_LOG_LEVEL, …); a command-line flag overrides its variable. \
            Run `attest help <command>` for the flags of one command.
            """,
        version: AttestVersion.current,
        subcommands: [
            DemoCommand.self,
            MigrateCommand.self,
            EnqueueCommand.self,
            WorkerCommand.self,
            ServeCommand.self,
            JobsCommand.self,
            CertificatesCommand.self,
            RevokeCommand.self,
            PurgePDFsCommand.self,
            BenchCommand.self,
            VersionCommand.self,
            RenderCommand.self,
            ProgramsCommand.self,
            RecordsCommand.self,
            ConvertCommand.self,
            ConversionHostCommand.self,
        ]
    )

    public init() {}

    /// Parses the process arguments and runs the chosen command; the executable's whole body.
    ///
    /// SIGPIPE is ignored for the whole process first: every command writes to pipes or sockets (a conversion
    /// host that died, a client that hung up, `attest … | head`), and a write there must fail with EPIPE for the
    /// caller to handle, never end the process.
    public static func start() async {
        signal(SIGPIPE, SIG_IGN)
        await self.main()
    }
}
