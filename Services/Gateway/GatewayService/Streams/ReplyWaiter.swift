import KefuModel
import Logging
import Synchronization

/// Matches `reply.result` entries on this instance's reply stream to the requests waiting for them.
///
/// Each request takes a ``Ticket`` before writing its entry (a fast reply may arrive before
/// ``wait(_:timeout:)``). Several tickets may wait for the same envelope id (a resend of the same
/// idempotent request): one reply answers all of them. A ticket is resumed exactly once — by the reply,
/// its timeout, its cancellation or ``cancel(_:)`` — and forgotten after that; a reply with no ticket (late,
/// or answered twice) is dropped.
final class ReplyWaiter: Sendable {
    /// One waiter's claim on the reply to `id`.
    struct Ticket: Sendable, Hashable {
        let id: EventID
        let number: UInt64
    }

    private enum Waiter {
        case registered
        case waiting(CheckedContinuation<ReplyResult?, Never>)
    }

    private struct Slot {
        var waiters: [UInt64: Waiter] = [:]
        var arrived: ReplyResult?
    }

    private struct State {
        var slots: [EventID: Slot] = [:]
        var next: UInt64 = 0
    }

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Announces that a reply to `id` is expected; pass the ticket to ``wait(_:timeout:)`` or ``cancel(_:)``.
    func register(_ id: EventID) -> Ticket {
        state.withLock { state in
            state.next &+= 1
            state.slots[id, default: Slot()].waiters[state.next] = .registered
            return Ticket(id: id, number: state.next)
        }
    }

    /// Forgets `ticket` (the request could not be written, or its wait ended); a waiting call returns nil.
    func cancel(_ ticket: Ticket) {
        let waiter: Waiter? = state.withLock { state in
            guard var slot = state.slots[ticket.id] else { return nil }
            let waiter = slot.waiters.removeValue(forKey: ticket.number)
            state.slots[ticket.id] = slot.waiters.isEmpty ? nil : slot
            return waiter
        }
        if case .waiting(let continuation) = waiter { continuation.resume(returning: nil) }
    }

    /// How many tickets are open (for tests and metrics).
    var openTickets: Int {
        state.withLock { $0.slots.values.reduce(0) { $0 + $1.waiters.count } }
    }

    /// The reply to the ticket's request, or nil after `timeout` or when the calling task is cancelled.
    /// The ticket is spent afterwards.
    func wait(_ ticket: Ticket, timeout: Duration) async -> ReplyResult? {
        await withTaskGroup(of: ReplyResult??.self) { group in
            group.addTask { .some(await self.reply(ticket)) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .none
            }
            var result: ReplyResult?
            if case .some(let first)? = await group.next() {
                result = first
            } else {
                cancel(ticket)
            }
            group.cancelAll()
            return result
        }
    }

    private func reply(_ ticket: Ticket) async -> ReplyResult? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate: ReplyResult?? = state.withLock { state in
                    guard var slot = state.slots[ticket.id], let waiter = slot.waiters[ticket.number] else { return .some(nil) }
                    guard case .registered = waiter else { return .some(nil) }
                    if let arrived = slot.arrived {
                        slot.waiters.removeValue(forKey: ticket.number)
                        state.slots[ticket.id] = slot.waiters.isEmpty ? nil : slot
                        return .some(arrived)
                    }
                    slot.waiters[ticket.number] = .waiting(continuation)
                    state.slots[ticket.id] = slot
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            cancel(ticket)
        }
    }

    /// Handles a batch read from the reply stream.
    func deliver(_ entries: [TailEntry]) {
        for entry in entries {
            guard let bytes = entry.event else { continue }
            let envelope: EventEnvelope<ReplyResult>
            do {
                envelope = try EnvelopeCodec.decode(bytes, as: ReplyResult.self)
            } catch {
                logger.warning("ignoring an undecodable reply", metadata: ["entry": "\(entry.id)", "error": "\(error)"])
                continue
            }
            guard let correlation = envelope.correlationID else { continue }
            let continuations: [CheckedContinuation<ReplyResult?, Never>] = state.withLock { state in
                guard var slot = state.slots[correlation], slot.arrived == nil else { return [] }
                var waiting: [CheckedContinuation<ReplyResult?, Never>] = []
                for (number, waiter) in slot.waiters {
                    if case .waiting(let continuation) = waiter {
                        waiting.append(continuation)
                        slot.waiters.removeValue(forKey: number)
                    }
                }
                slot.arrived = envelope.data
                state.slots[correlation] = slot.waiters.isEmpty ? nil : slot
                return waiting
            }
            for continuation in continuations { continuation.resume(returning: envelope.data) }
        }
    }
}
