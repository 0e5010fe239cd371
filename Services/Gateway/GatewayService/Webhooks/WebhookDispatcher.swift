import Foundation
import Logging
import ServiceRuntime

/// Sends deliveries: one task per endpoint with work, so a slow or dead endpoint only ever delays itself.
///
/// A task leases up to 4 × `concurrency` due deliveries (each the first undelivered one of its session, so
/// one session's events go out in `seq` order), sends them with at most `concurrency` in flight, records the
/// outcomes in one statement and goes on. With nothing due it sleeps until the next retry is due or it is woken (new rows from the
/// consumer, an admin's retry); with nothing left it ends. Rows another instance left behind (a crash) are
/// found by the sweep when their lease ends.
actor WebhookDispatcher {
    private final class Worker: Sendable {
        let signal = WakeSignal()
    }

    /// A claim takes up to this many rounds of `concurrency` deliveries (sent through a window of
    /// `concurrency`, recorded together), so a busy endpoint costs two statements per few dozen deliveries.
    static let roundsPerClaim = 4

    private let store: WebhookStore
    private var sender: WebhookSender?
    private let settings: WebhookSettings
    private let logger: Logger
    private var workers: [UUID: Worker] = [:]
    /// Endpoints woken since their worker last looked for work.
    private var woken: Set<UUID> = []
    private var stopped = false
    private var tasks: [UUID: Task<Void, Never>] = [:]

    init(store: WebhookStore, settings: WebhookSettings, logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    /// Starts sending with `sender` (and wakes what was woken before).
    func start(sender: WebhookSender) {
        self.sender = sender
        wake(woken)
    }

    /// Wakes the endpoints' workers (starting those not running).
    func wake(_ endpoints: some Sequence<UUID>) {
        guard !stopped else { return }
        for id in endpoints {
            woken.insert(id)
            guard let sender else { continue }
            if let worker = workers[id] {
                worker.signal.notify()
            } else {
                let worker = Worker()
                workers[id] = worker
                tasks[id] = Task { [self] in await run(id, worker, sender) }
            }
        }
    }

    /// Stops every worker (in-flight sends are cancelled; their leases expire and the rows are sent again).
    func stop() async {
        stopped = true
        let running = Array(tasks.values)
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    private func beginRound(_ id: UUID) -> Bool {
        woken.remove(id)
        return !stopped
    }

    /// Ends the worker unless it was woken meanwhile.
    private func retire(_ id: UUID) -> Bool {
        if woken.contains(id) && !stopped { return false }
        workers[id] = nil
        tasks[id] = nil
        return true
    }

    private nonisolated func run(_ id: UUID, _ worker: Worker, _ sender: WebhookSender) async {
        var failures = 0
        while !Task.isCancelled {
            guard await beginRound(id) else { break }
            do {
                let batch = try await store.claim(
                    endpoint: id, limit: settings.concurrency * Self.roundsPerClaim, leaseRounds: Self.roundsPerClaim,
                    leaseMarginSeconds: 10, graceMilliseconds: settings.orderGraceMilliseconds)
                if batch.isEmpty {
                    guard let due = try await store.nextDue(endpoint: id, graceMilliseconds: settings.orderGraceMilliseconds) else {
                        if await retire(id) { return }
                        continue
                    }
                    let wait = min(max(due.timeIntervalSinceNow, 0.005), 3600)
                    await worker.signal.wait(upTo: .milliseconds(Int64(wait * 1000) + 1))
                    continue
                }
                let outcomes = await withTaskGroup(of: DeliveryOutcome.self) { group in
                    var waiting = batch.makeIterator()
                    for _ in 0..<settings.concurrency {
                        guard let delivery = waiting.next() else { break }
                        group.addTask { await sender.send(delivery) }
                    }
                    var all: [DeliveryOutcome] = []
                    while let outcome = await group.next() {
                        all.append(outcome)
                        if let delivery = waiting.next() { group.addTask { await sender.send(delivery) } }
                    }
                    return all
                }
                if Task.isCancelled { break }
                let enabled = try await store.record(
                    outcomes, endpoint: id, minFailures: settings.disableMinFailures, disableAfterSeconds: settings.disableAfterSeconds)
                if !enabled {
                    logger.warning("webhook endpoint disabled after failing", metadata: ["webhook.endpoint": "\(id)"])
                }
                failures = 0
            } catch {
                if Task.isCancelled { break }
                failures += 1
                logger.warning("webhook dispatch failed; retrying", metadata: ["webhook.endpoint": "\(id)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(min(5000, 100 << min(failures, 6))))
            }
        }
        _ = await retire(id)
    }
}
