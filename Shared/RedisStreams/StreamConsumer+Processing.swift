import Foundation
import Redis

extension StreamConsumer {
    typealias RawEntry = (id: String, fields: [(name: String, value: [UInt8])]?)

    /// Decodes, dead-letters what does not decode, hands the rest to the handler and acknowledges
    /// what it applied.
    func process(_ entries: [RawEntry]) async {
        var messages: [StreamMessage<Handler.Message>] = []
        var lost: [String] = []
        for raw in entries {
            guard let fields = raw.fields else {
                lost.append(raw.id)
                continue
            }
            let entry = StreamEntry(id: raw.id, fields: fields)
            do {
                messages.append(StreamMessage(entry: entry, message: try handler.decode(entry)))
            } catch {
                await deadLetter(entry, reason: "undecodable: \(error)", kind: "undecodable")
            }
        }
        if !lost.isEmpty {
            logger.error("pending entries were trimmed before they were handled; they are lost", metadata: ["ids": "\(lost)"])
            metrics.lost.increment(by: lost.count)
            await acknowledge(lost)
        }
        guard !messages.isEmpty else { return }
        let started = ContinuousClock.now
        do {
            try await handler.handle(messages)
            let elapsed = (ContinuousClock.now - started).components
            metrics.batchDuration.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
            await acknowledge(messages.map(\.entry.id))
        } catch is CancellationError {
            return
        } catch {
            guard messages.count > 1 else {
                recordFailure(messages[0].entry.id, error)
                return
            }
            logger.info("batch failed; retrying its entries one by one", metadata: ["error": "\(error)", "count": "\(messages.count)"])
            for message in messages {
                if Task.isCancelled { return }
                do {
                    try await handler.handle([message])
                    await acknowledge([message.entry.id])
                } catch is CancellationError {
                    return
                } catch {
                    recordFailure(message.entry.id, error)
                }
            }
        }
    }

    /// `XACK`s `ids` in one command. A failure leaves them pending: they are redelivered, and the
    /// handler's idempotency absorbs the repeat.
    func acknowledge(_ ids: [String]) async {
        guard !ids.isEmpty else { return }
        do {
            _ = try await redis.send(["XACK", configuration.stream, configuration.group] + ids)
            metrics.acknowledged.increment(by: ids.count)
            lastErrors.withLock { errors in
                if !errors.isEmpty { for id in ids { errors.removeValue(forKey: id) } }
            }
        } catch {
            metrics.errors.increment()
            logger.warning("XACK failed; the entries will be redelivered", metadata: ["error": "\(error)", "count": "\(ids.count)"])
        }
    }

    func recordFailure(_ id: String, _ error: any Error) {
        metrics.handlerFailures.increment()
        logger.warning("entry failed; it stays pending for a retry", metadata: ["entry": "\(id)", "error": "\(error)"])
        lastErrors.withLock { errors in
            if errors.count > 10_000 { errors.removeAll() }
            errors[id] = "\(error)"
        }
    }

    /// Moves `entry` to the dead-letter stream with `reason` and acknowledges it, in one `MULTI`.
    func deadLetter(_ entry: StreamEntry, reason: String, kind: String, deliveries: Int64? = nil) async {
        let count: Int64
        if let deliveries {
            count = deliveries
        } else {
            count = (try? await deliveryCount(of: entry.id)) ?? 1
        }
        var add: [[UInt8]] = ["XADD", configuration.deadLetterStream, "MAXLEN", "~", String(configuration.deadLetterMaxLength), "*"].map { Array($0.utf8) }
        for field in entry.fields {
            add.append(Array(field.name.utf8))
            add.append(field.value)
        }
        let details: [(String, String)] = [
            ("dead.reason", reason), ("dead.original_id", entry.id), ("dead.stream", configuration.stream),
            ("dead.group", configuration.group), ("dead.consumer", configuration.consumer),
            ("dead.deliveries", String(count)), ("dead.at", Date.now.formatted(.iso8601)),
        ]
        for (name, value) in details {
            add.append(Array(name.utf8))
            add.append(Array(value.utf8))
        }
        let ack: [[UInt8]] = ["XACK", configuration.stream, configuration.group, entry.id].map { Array($0.utf8) }
        do {
            let replies = try await redis.pipeline([[Array("MULTI".utf8)], add, ack, [Array("EXEC".utf8)]])
            guard let exec = replies.last?.array, exec.count == 2, exec[0].string != nil, exec[0].errorMessage == nil else {
                throw RedisError.protocolViolation("dead-letter transaction failed: \(replies)")
            }
            metrics.deadLettered(kind).increment()
            lastErrors.withLock { _ = $0.removeValue(forKey: entry.id) }
            logger.error("entry dead-lettered", metadata: ["entry": "\(entry.id)", "reason": "\(reason)", "dead_stream": "\(configuration.deadLetterStream)"])
        } catch {
            metrics.errors.increment()
            logger.error("dead-lettering failed; the entry stays pending", metadata: ["entry": "\(entry.id)", "error": "\(error)"])
        }
    }

    /// The delivery count of one pending entry, from `XPENDING`.
    func deliveryCount(of id: String) async throws -> Int64? {
        let reply = try await redis.send(["XPENDING", configuration.stream, configuration.group, id, id, "1"])
        return try StreamReplies.pending(reply).first?.deliveries
    }

    /// Dead-letters pending entries idle past the claim time that were delivered `maxDeliveries` times.
    func deadLetterExhausted() async throws {
        let idle = String(configuration.claimIdleMilliseconds)
        let reply = try await redis.send([
            "XPENDING", configuration.stream, configuration.group, "IDLE", idle, "-", "+", String(configuration.batchSize),
        ])
        let exhausted = try StreamReplies.pending(reply).filter { $0.deliveries >= Int64(configuration.maxDeliveries) }
        guard !exhausted.isEmpty else { return }
        let claimed = try await redis.send(
            ["XCLAIM", configuration.stream, configuration.group, configuration.consumer, idle] + exhausted.map(\.id))
        let deliveries = Dictionary(exhausted.map { ($0.id, $0.deliveries) }) { first, _ in first }
        for raw in try (claimed.array ?? []).filter({ !$0.isNull }).map(StreamReplies.entry) {
            guard let fields = raw.fields else { continue }
            let last = lastErrors.withLock { $0[raw.id] } ?? "not seen by this consumer"
            let count = deliveries[raw.id] ?? Int64(configuration.maxDeliveries)
            await deadLetter(
                StreamEntry(id: raw.id, fields: fields),
                reason: "failed \(count) deliveries; last error: \(last)", kind: "max_deliveries", deliveries: count)
        }
    }

    /// Takes over entries idle past the claim time (of crashed consumers, or this one's failures) and
    /// processes them.
    func claimIdle() async throws {
        var cursor = "0-0"
        for _ in 0..<10 {
            let reply = try await redis.send([
                "XAUTOCLAIM", configuration.stream, configuration.group, configuration.consumer,
                String(configuration.claimIdleMilliseconds), cursor, "COUNT", String(configuration.batchSize),
            ])
            let claimed = try StreamReplies.autoclaim(reply)
            if !claimed.deleted.isEmpty {
                logger.error("pending entries were trimmed before they were handled; they are lost", metadata: ["ids": "\(claimed.deleted)"])
                metrics.lost.increment(by: claimed.deleted.count)
            }
            if !claimed.entries.isEmpty {
                metrics.claimed.increment(by: claimed.entries.count)
                logger.info("claimed idle entries", metadata: ["count": "\(claimed.entries.count)"])
                await process(claimed.entries)
            }
            cursor = claimed.cursor
            if cursor == "0-0" || isStopping { return }
        }
    }
}
