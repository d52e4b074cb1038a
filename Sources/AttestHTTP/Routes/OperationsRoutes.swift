// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestPQ
import HTTPTypes
import Hummingbird
import Logging
import Prometheus

/// `GET /healthz` (the process answers), `GET /readyz` (the database answers and is migrated) and
/// `GET /metrics` (Prometheus text).
struct OperationsRoutes {
    let server: AttestServer

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in
            Responses.json(HealthStatus(status: "ok"), headers: [.cacheControl: "no-store"])
        }
        router.get("/readyz") { _, context in
            try await self.readiness(context: context)
        }
        // The jobs gauge holds what `AttestServer.refreshJobGauges()` last read: a scrape never queries, so any
        // number of scrapers (or an unauthenticated flood) cost the database nothing.
        router.get("/metrics") { _, _ in
            Responses.text(
                self.server.registry.emitToString(),
                contentType: "text/plain; version=0.0.4; charset=utf-8",
                headers: [.cacheControl: "no-store"]
            )
        }
    }

    private func readiness(context: BasicRequestContext) async throws -> Response {
        let version: Int
        do {
            version = try await self.server.pool.withConnection { connection in
                try await Migrator.currentVersion(on: connection)
            }
        } catch {
            throw ServerError(.unavailable, "The database cannot be reached.", underlying: error)
        }
        guard version > 0, version >= self.server.configuration.expectedSchemaVersion else {
            throw ServerError(.unavailable, "The database schema is not up to date: run attest migrate.")
        }
        return Responses.json(HealthStatus(status: "ready"), headers: [.cacheControl: "no-store"])
    }
}

/// The body of `/healthz` and `/readyz`.
struct HealthStatus: Encodable {
    let status: String
}
