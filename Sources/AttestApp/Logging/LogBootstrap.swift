// Attest — certificates and documents you can verify. Apache-2.0.

import Logging
import Synchronization

/// Starts swift-log once per process with the configured level and format; later calls do nothing.
enum LogBootstrap {
    private static let started = Mutex(false)

    static func start(level: Logger.Level, format: AttestSettings.LogFormat) {
        let first = self.started.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler
            switch format {
            case .text: handler = StreamLogHandler.standardError(label: label)
            case .json: handler = JSONLogHandler(label: label)
            }
            handler.logLevel = level
            return handler
        }
    }
}
