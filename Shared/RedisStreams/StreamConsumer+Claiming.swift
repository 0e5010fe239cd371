import Logging
import Redis
import ServiceLifecycle

extension StreamConsumer {
    /// The claim child task: a cycle right away, then one every `claimIntervalMilliseconds`.
    /// On graceful shutdown it wakes the blocked reader and returns.
    func claimLoop() async {
        var failures = 0
        while !Task.isCancelled {
            if Task.isShuttingDownGracefully {
                await wakeReader()
                return
            }
            do {
                try await claimCycle()
                failures = 0
            } catch {
                if Task.isCancelled { return }
                failures += 1
                metrics.error(.claim)
                logger.warning("claim cycle failed", metadata: ["error": "\(error)", "failures": "\(failures)"])
                if case RedisError.server(let message) = error, message.hasPrefix("NOGROUP") {
                    try? await ensureGroup()
                }
            }
            let interval = Duration.milliseconds(configuration.claimIntervalMilliseconds)
            let pause = failures > 0 ? max(interval, backOffDelay(failures: failures)) : interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }

    /// Dead-letters exhausted entries, then takes over idle ones with `XAUTOCLAIM` and processes them.
    func claimCycle() async throws {
        try await deadLetterExhausted()
        let configuration = configuration
        var cursor = "0-0"
        var rounds = 0
        repeat {
            let reply = try await client.send([
                "XAUTOCLAIM", configuration.stream, configuration.group, configuration.consumer,
                String(configuration.claimIdleMilliseconds), cursor, "COUNT", String(configuration.batchSize),
            ])
            let result = try StreamReplyParser.autoClaim(reply)
            reportLost(result.deletedIDs, how: "trimmed from the stream (XAUTOCLAIM deleted ids)")
            if !result.entries.isEmpty {
                metrics.claimed.increment(by: result.entries.count)
                logger.info("claimed idle entries", metadata: ["count": "\(result.entries.count)"])
                try await acknowledge(await process(result.entries, knownDeliveries: nil))
            }
            cursor = result.cursor
            rounds += 1
        } while cursor != "0-0" && rounds < 10 && !isStopping
    }

    /// `XPENDING … IDLE`: entries delivered `maxDeliveries` times or more are claimed (so nobody
    /// else retries them meanwhile) and dead-lettered with their last known error.
    private func deadLetterExhausted() async throws {
        let configuration = configuration
        let idle = String(configuration.claimIdleMilliseconds)
        let reply = try await client.send([
            "XPENDING", configuration.stream, configuration.group, "IDLE", idle, "-", "+",
            String(configuration.batchSize),
        ])
        let exhausted = try StreamReplyParser.pending(reply).filter { $0.deliveries >= configuration.maxDeliveries }
        guard !exhausted.isEmpty else { return }
        let claimReply = try await client.send(
            ["XCLAIM", configuration.stream, configuration.group, configuration.consumer, idle] + exhausted.map(\.id)
        )
        let claimed = try StreamReplyParser.entries(claimReply, command: "XCLAIM")
        let deliveries = Dictionary(exhausted.map { ($0.id, $0.deliveries) }, uniquingKeysWith: { first, _ in first })
        var letters: [DeadLetter] = []
        var lost: [String] = []
        for item in claimed {
            guard let entry = item.entry else {
                lost.append(item.id)
                continue
            }
            let count = deliveries[item.id] ?? Int64(configuration.maxDeliveries)
            let lastError = lastErrors.lastError(item.id) ?? "unknown (not handled by this consumer)"
            letters.append(DeadLetter(entry: entry, reason: "max_deliveries: failed \(count) deliveries; last error: \(lastError)",
                                      deliveries: count))
        }
        let vanished = Set(exhausted.map(\.id)).subtracting(claimed.map(\.id))
        if !vanished.isEmpty {
            logger.debug("exhausted entries not claimable (acknowledged, claimed by another consumer, or trimmed)",
                         metadata: ["count": "\(vanished.count)"])
        }
        reportLost(lost, how: "deleted from the stream while pending")
        try await acknowledge(lost)
        if !letters.isEmpty {
            await deadLetter(letters, reason: .maxDeliveries)
        }
    }

    /// One `XACK` with all ids.
    func acknowledge(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        let reply = try await client.send(["XACK", configuration.stream, configuration.group] + ids)
        noteAcknowledged(ids, reply: reply)
    }

    /// Wakes the read loop's blocked `XREADGROUP` with `CLIENT UNBLOCK`, retrying briefly in case
    /// the read was not blocked yet.
    private func wakeReader() async {
        let attempts = max(1, configuration.blockMilliseconds / 20 + 1)
        for _ in 0..<attempts {
            guard readLoopRunning.load(ordering: .acquiring) else { return }
            let id = readerClientID.load(ordering: .relaxed)
            if id >= 0, let reply = try? await client.send(["CLIENT", "UNBLOCK", String(id)]), reply.int == 1 {
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
