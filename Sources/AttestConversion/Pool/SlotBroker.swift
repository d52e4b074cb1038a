// Attest — certificates and documents you can verify. Apache-2.0.

/// Hands host slots to conversions one at a time; conversions beyond the number of hosts wait in order.
actor SlotBroker {
    private var idle: [HostSlot]
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<HostSlot, any Error>)] = []
    private var nextWaiterID: UInt64 = 0
    private var closed = false
    private let maxWaiting: Int

    init(slots: [HostSlot], maxWaiting: Int) {
        self.idle = slots
        self.maxWaiting = maxWaiting
    }

    /// A free slot, waiting (first come, first served) while all are busy.
    func acquire() async throws -> HostSlot {
        if self.closed { throw ConversionError(.shutDown, "the conversion pool is shut down") }
        if !self.idle.isEmpty { return self.idle.removeFirst() }
        if self.waiters.count >= self.maxWaiting {
            throw ConversionError(.overloaded, "\(self.waiters.count) conversions are already waiting for a host")
        }
        self.nextWaiterID += 1
        let id = self.nextWaiterID
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: ConversionError(.cancelled, "the conversion was cancelled"))
                } else {
                    self.waiters.append((id, continuation))
                }
            }
        } onCancel: {
            // The handler runs outside the actor and cannot await; hop onto it to remove the waiter.
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Gives a slot back: to the longest waiter, or to the idle list.
    func release(_ slot: HostSlot) {
        if !self.waiters.isEmpty {
            self.waiters.removeFirst().continuation.resume(returning: slot)
        } else {
            self.idle.append(slot)
        }
    }

    /// Refuses new conversions and fails the waiting ones.
    func close() {
        self.closed = true
        let waiters = self.waiters
        self.waiters = []
        for waiter in waiters {
            waiter.continuation.resume(throwing: ConversionError(.shutDown, "the conversion pool is shutting down"))
        }
    }

    /// How many conversions wait for a host now.
    var waitingCount: Int { self.waiters.count }

    private func cancelWaiter(_ id: UInt64) {
        guard let position = self.waiters.firstIndex(where: { $0.id == id }) else { return }
        self.waiters.remove(at: position).continuation.resume(
            throwing: ConversionError(.cancelled, "the conversion was cancelled while waiting for a host")
        )
    }
}
