// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import Foundation
import Logging

/// Attest's configuration (CONTRACT.md): environment variables with their defaults; commands apply flags on top.
struct AttestSettings: Sendable {
    /// How log lines are written.
    enum LogFormat: String, Sendable {
        case text
        case json
    }

    /// `DATABASE_URL`: libpq connection string. No default.
    var databaseURL: String?
    /// `ATTEST_STORAGE_DIR`: root of every file Attest writes or deletes. Defaults to `.attest/files`.
    var storageDirectory: String
    /// `ATTEST_PUBLIC_URL`: base of the verification URLs in QR codes. Defaults to `http://127.0.0.1:8080`.
    var publicURL: String
    /// `ATTEST_TEMPLATES_DIR`: certificate templates. Defaults to `templates`.
    var templatesDirectory: String
    /// `ATTEST_FONTS_DIR`: fonts and their fontconfig file. Defaults to `fonts`.
    var fontsDirectory: String
    /// `ATTEST_DEFAULT_TEMPLATE`: template for completions that name none. Defaults to `classic`.
    var defaultTemplate: String
    /// `ATTEST_API_TOKEN`: bearer token for `/api/*`; the API is off when unset. Never logged.
    var apiToken: String?
    /// `ATTEST_RECORDS_ENABLED`: program records and share links. Defaults to true.
    var recordsEnabled: Bool
    /// `ATTEST_LOG_LEVEL`. Defaults to `info`.
    var logLevel: Logger.Level
    /// `ATTEST_LOG_FORMAT`. Defaults to `text`.
    var logFormat: LogFormat

    static var processEnvironment: [String: String] { ProcessInfo.processInfo.environment }

    init(environment: [String: String]) throws {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                return nil
            }
            return value
        }
        self.databaseURL = value("DATABASE_URL")
        self.storageDirectory = value("ATTEST_STORAGE_DIR") ?? ".attest/files"
        self.publicURL = value("ATTEST_PUBLIC_URL") ?? "http://127.0.0.1:8080"
        self.templatesDirectory = value("ATTEST_TEMPLATES_DIR") ?? "templates"
        self.fontsDirectory = value("ATTEST_FONTS_DIR") ?? "fonts"
        self.defaultTemplate = value("ATTEST_DEFAULT_TEMPLATE") ?? "classic"
        self.apiToken = value("ATTEST_API_TOKEN")
        switch value("ATTEST_RECORDS_ENABLED")?.lowercased() {
        case nil, "true", "1", "yes", "on": self.recordsEnabled = true
        case "false", "0", "no", "off": self.recordsEnabled = false
        case let other?:
            throw ValidationError("ATTEST_RECORDS_ENABLED is \"\(other)\"; use true or false")
        }
        self.logLevel = try value("ATTEST_LOG_LEVEL").map { try Self.parseLogLevel($0, from: "ATTEST_LOG_LEVEL") } ?? .info
        self.logFormat = try value("ATTEST_LOG_FORMAT").map { try Self.parseLogFormat($0, from: "ATTEST_LOG_FORMAT") } ?? .text
    }

    /// `publicURL` without a trailing slash, ready for `/v/{code}`.
    var publicBaseURL: String {
        self.publicURL.hasSuffix("/") ? String(self.publicURL.dropLast()) : self.publicURL
    }

    /// The database URL, or a usage error that says how to provide one.
    func requireDatabaseURL() throws -> String {
        guard let url = self.databaseURL else {
            throw ValidationError("no database: set DATABASE_URL or pass --database-url (a libpq connection string)")
        }
        return url
    }

    static func parseLogLevel(_ text: String, from source: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("\(source) is \"\(text)\"; use trace, debug, info, notice, warning, error or critical")
        }
        return level
    }

    static func parseLogFormat(_ text: String, from source: String) throws -> LogFormat {
        guard let format = LogFormat(rawValue: text.lowercased()) else {
            throw ValidationError("\(source) is \"\(text)\"; use text or json")
        }
        return format
    }
}
