import Foundation
import ServiceRuntime
import Synchronization

/// One accepted `export.start`: what to export and where.
public struct ExportJob: Sendable {
    /// The plan to run.
    public let plan: ExportSQL.Plan
    /// Whether to start with a BOM.
    public let bom: Bool
    /// The export stream key.
    public let streamKey: String
    /// The id of the `export.start` request: the export starts only once the transaction that answered it
    /// (and recorded the id in the inbox) is committed.
    public let requestID: UUID
    /// For logs.
    public let kind: ExportKind
}

/// Hands accepted exports from the request handler (inside its transaction) to ``ExportService`` and
/// limits how many run at once: a slot is reserved when the request is accepted and released when the
/// export ends or is dropped.
public final class ExportCoordinator: Sendable {
    /// Exports allowed at once.
    public let limit: Int
    private let active = Mutex(0)
    private let prefix = Mutex<String?>(nil)
    private let commitWaiters = Mutex<[WakeSignal]>([])
    let jobs: AsyncStream<ExportJob>
    private let continuation: AsyncStream<ExportJob>.Continuation

    /// A coordinator allowing `limit` exports at once.
    public init(limit: Int) {
        self.limit = limit
        (jobs, continuation) = AsyncStream.makeStream(of: ExportJob.self)
    }

    /// Takes a slot; false when `limit` exports are already running or waiting.
    public func reserve() -> Bool {
        active.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    /// Gives a slot back.
    public func release() {
        active.withLock { $0 = max(0, $0 - 1) }
    }

    /// The stream prefix export keys go under, once the service has started (``bind(streamPrefix:)``).
    public var streamPrefix: String? { prefix.withLock { $0 } }

    /// Sets the stream prefix; called when the service's context exists, before any request is handled.
    public func bind(streamPrefix: String) {
        prefix.withLock { $0 = streamPrefix }
    }

    /// Exports holding a slot.
    public var running: Int { active.withLock { $0 } }

    /// Queues a job whose slot is reserved.
    public func submit(_ job: ExportJob) {
        if case .terminated = continuation.yield(job) { release() }
    }

    /// Called after a requests batch committed: wakes every export waiting for its request's commit.
    public func committed() {
        for waiter in commitWaiters.withLock({ $0 }) { waiter.notify() }
    }

    /// Waits until a requests batch commits or `timeout` passes.
    func waitForCommit(upTo timeout: Duration) async {
        let waiter = WakeSignal()
        commitWaiters.withLock { $0.append(waiter) }
        await waiter.wait(upTo: timeout)
        commitWaiters.withLock { $0.removeAll { $0 === waiter } }
    }

    /// No more jobs (shutdown).
    func finish() {
        continuation.finish()
    }
}
