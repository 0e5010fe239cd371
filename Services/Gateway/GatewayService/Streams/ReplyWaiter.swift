import KefuModel
import Logging
import Synchronization

/// Matches `reply.result` entries on this instance's reply stream to the requests waiting for them.
///
/// Register before writing the request (a fast reply may arrive before ``wait(for:timeout:)``); a reply
/// with no waiter (late, or answered twice) is dropped.
final class ReplyWaiter: Sendable {
    private enum Slot {
        case registered
        case waiting(CheckedContinuation<ReplyResult?, Never>)
        case arrived(ReplyResult)
    }

    private let slots = Mutex<[EventID: Slot]>([:])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Announces that a reply to `id` is expected.
    func register(_ id: EventID) {
        slots.withLock { $0[id] = .registered }
    }

    /// Forgets `id` (the request could not be written).
    func cancel(_ id: EventID) {
        let slot = slots.withLock { $0.removeValue(forKey: id) }
        if case .waiting(let continuation) = slot { continuation.resume(returning: nil) }
    }

    /// The reply to `id`, or nil after `timeout`.
    func wait(for id: EventID, timeout: Duration) async -> ReplyResult? {
        let timer = Task {
            try? await Task.sleep(for: timeout)
            cancel(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let immediate: ReplyResult?? = slots.withLock { slots in
                switch slots[id] {
                case .arrived(let result):
                    slots.removeValue(forKey: id)
                    return .some(result)
                case .registered:
                    slots[id] = .waiting(continuation)
                    return .none
                case .waiting, nil:
                    return .some(nil)
                }
            }
            if let immediate { continuation.resume(returning: immediate) }
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
            let continuation: CheckedContinuation<ReplyResult?, Never>? = slots.withLock { slots in
                switch slots[correlation] {
                case .registered:
                    slots[correlation] = .arrived(envelope.data)
                    return nil
                case .waiting(let continuation):
                    slots.removeValue(forKey: correlation)
                    return continuation
                case .arrived, nil:
                    return nil
                }
            }
            continuation?.resume(returning: envelope.data)
        }
    }
}
