// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser

/// Flags every command accepts; each overrides the environment variable named in its help.
struct CommonOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp("libpq connection string, URI or keyword form. Overrides DATABASE_URL.", valueName: "url")
    )
    var databaseURL: String?

    @Option(help: ArgumentHelp("debug, info, notice, warning or error. Overrides ATTEST_LOG_LEVEL.", valueName: "level"))
    var logLevel: String?

    @Option(help: ArgumentHelp("text or json. Overrides ATTEST_LOG_FORMAT.", valueName: "format"))
    var logFormat: String?

    /// Resolves flags over the environment over the defaults, and starts logging.
    func settings(environment: [String: String] = AttestSettings.processEnvironment) throws -> AttestSettings {
        var settings = try AttestSettings(environment: environment)
        if let databaseURL = self.databaseURL { settings.databaseURL = databaseURL }
        if let logLevel = self.logLevel { settings.logLevel = try AttestSettings.parseLogLevel(logLevel, from: "--log-level") }
        if let logFormat = self.logFormat { settings.logFormat = try AttestSettings.parseLogFormat(logFormat, from: "--log-format") }
        LogBootstrap.start(level: settings.logLevel, format: settings.logFormat)
        return settings
    }
}
