// Attest — certificates and documents you can verify. Apache-2.0.

import Synchronization

/// Runs calls that arrive within a short window as one batch on one pooled connection: one statement, one round
/// trip and one commit for many callers, where each caller still waits only for its own result.
///
/// Every statement wakes a PostgreSQL backend, and on a worker with two cores each wake-up can preempt the thread
/// that renders. Calls made by jobs that run at the same time (the jobs of one claim start together) share their
/// statement instead.
///
/// The first call of a batch leads it: it waits `window` while others join (up to `maximumBatch`; later calls start
/// the next batch), runs `body` with every request of the batch, in order, and hands each caller the response at
/// its position. If `body` fails with an error from the server (a constraint, a bad value), each request runs again
/// alone, so one bad request never fails the others; any other error (the connection broke) fails every call of
/// the batch. A leader that is cancelled still runs its batch.
public final class PGBatcher<Request: Sendable, Response: Sendable>: Sendable {
    /// Runs a batch: one response per request, in the same order.
    public typealias Body = @Sendable ([Request], PGConnection) async throws -> [Response]

    private let pool: PGPool
    private let window: Duration
    private let maximumBatch: Int
    private let body: Body
    /// The batch that new calls join, until its leader takes it or it is full.
    private let open = Mutex<Batch?>(nil)

    /// - Parameters:
    ///   - window: how long the first call of a batch waits for others to join.
    ///   - maximumBatch: the most requests in one batch.
    public init(pool: PGPool, window: Duration, maximumBatch: Int = 100, body: @escaping Body) {
        precondition(maximumBatch > 0, "a batch holds at least one request")
        self.pool = pool
        self.window = window
        self.maximumBatch = maximumBatch
        self.body = body
    }

    /// Runs `request` in the next batch and returns its response.
    public func call(_ request: Request) async throws -> Response {
        let (batch, position) = self.open.withLock { open -> (Batch, Int) in
            let batch = open ?? Batch()
            let position = batch.add(request)
            open = position + 1 < self.maximumBatch ? batch : nil
            return (batch, position)
        }
        if position == 0 {
            try? await Task.sleep(for: self.window)
            // Calls arriving from now on start the next batch.
            self.open.withLock { open in
                if open === batch { open = nil }
            }
            // The batch runs in a task of its own: the leader's cancellation (its job's shutdown timeout, say)
            // must not fail the requests of the other callers.
            let requests = batch.takeRequests()
            batch.finish(with: await Task { await self.run(requests) }.value)
        }
        return try await batch.result(at: position).get()
    }

    private func run(_ requests: [Request]) async -> [Result<Response, any Error>] {
        do {
            let responses = try await self.pool.withConnection { try await self.body(requests, $0) }
            guard responses.count == requests.count else {
                let error = PGError(.invalidValue, "a batch of \(requests.count) returned \(responses.count) responses")
                return requests.map { _ in .failure(error) }
            }
            return responses.map { .success($0) }
        } catch let error as PGError where error.code == .server && requests.count > 1 {
            var results: [Result<Response, any Error>] = []
            for request in requests {
                results.append(await self.run([request])[0])
            }
            return results
        } catch {
            return requests.map { _ in .failure(error) }
        }
    }

    /// The requests of one batch and, once run, their results; callers wait for them here.
    private final class Batch: Sendable {
        private struct State {
            var requests: [Request] = []
            var results: [Result<Response, any Error>]?
            var waiters: [CheckedContinuation<Void, Never>] = []
        }

        private let state = Mutex(State())

        /// Adds a request; returns its position.
        func add(_ request: Request) -> Int {
            self.state.withLock { state in
                state.requests.append(request)
                return state.requests.count - 1
            }
        }

        func takeRequests() -> [Request] {
            self.state.withLock { $0.requests }
        }

        func finish(with results: [Result<Response, any Error>]) {
            let waiters = self.state.withLock { state in
                state.results = results
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }

        func result(at position: Int) async -> Result<Response, any Error> {
            await withCheckedContinuation { continuation in
                let done = self.state.withLock { state in
                    if state.results != nil { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
            return self.state.withLock { $0.results![position] }
        }
    }
}
