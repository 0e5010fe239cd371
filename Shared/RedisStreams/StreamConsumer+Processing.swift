import Logging
import Redis

extension StreamConsumer {
    /// Decodes, dead-letters the undecodable, handles the rest; returns the ids to acknowledge
    /// (handled ones, and trimmed ones that can no longer be handled).
    ///
    /// - Parameter knownDeliveries: the delivery count when known (1 for a `>` read).
    func process(_ delivered: [DeliveredEntry], knownDeliveries: Int64?) async -> [String] {
        var acknowledgements: [String] = []
        var messages: [StreamMessage<Handler.Message>] = []
        messages.reserveCapacity(delivered.count)
        var undecodable: [(entry: StreamEntry, reason: String)] = []
        for item in delivered {
            guard let entry = item.entry else {
                reportLost([item.id], how: "deleted from the stream while pending")
                acknowledgements.append(item.id)
                continue
            }
            do {
                messages.append(StreamMessage(entry: entry, message: try handler.decode(entry)))
            } catch {
                undecodable.append((entry, deadLetterReason(for: error)))
            }
        }
        if !undecodable.isEmpty {
            let counts = await deliveryCounts(undecodable.map(\.entry.id), known: knownDeliveries)
            let letters = undecodable.map {
                DeadLetter(entry: $0.entry, reason: $0.reason, deliveries: counts[$0.entry.id] ?? 1)
            }
            await deadLetter(letters, reason: .decode)
        }
        if !messages.isEmpty {
            acknowledgements += await handle(messages)
        }
        return acknowledgements
    }

    /// Calls the handler with the batch, then one by one if the batch failed.
    /// Returns the ids whose handler succeeded.
    private func handle(_ messages: [StreamMessage<Handler.Message>]) async -> [String] {
        metrics.batchSize.record(messages.count)
        let start = ContinuousClock.now
        do {
            try await handler.handle(messages)
            metrics.batchDuration.record(duration: start.duration(to: .now))
            metrics.handled.increment(by: messages.count)
            return messages.map(\.id)
        } catch {
            metrics.batchDuration.record(duration: start.duration(to: .now))
            if Task.isCancelled { return [] }
            metrics.error(.handler)
            if messages.count == 1 {
                noteFailure(messages[0].id, error)
                return []
            }
            logger.warning("batch handler failed; retrying entries one at a time", metadata: [
                "count": "\(messages.count)", "error": "\(error)",
            ])
        }
        var handled: [String] = []
        for message in messages {
            do {
                try await handler.handle([message])
                handled.append(message.id)
                metrics.handled.increment()
            } catch {
                if Task.isCancelled { break }
                metrics.error(.handler)
                noteFailure(message.id, error)
            }
        }
        return handled
    }

    private func noteFailure(_ id: String, _ error: any Error) {
        lastErrors.record(id, "\(error)")
        logger.warning("entry handler failed; the entry stays pending for a later delivery", metadata: [
            "stream.entry_id": "\(id)", "error": "\(error)",
        ])
    }

    /// Moves entries to the dead-letter stream and acknowledges them, atomically. On failure they
    /// stay pending (and are retried by a later delivery or claim).
    func deadLetter(_ letters: [DeadLetter], reason: StreamConsumerMetrics.DeadLetterReason) async {
        let commands = deadLetters.commands(for: letters)
        do {
            let type = try await client.send(["TYPE", configuration.deadLetterStream]).string ?? ""
            guard type == "none" || type == "stream" else {
                throw StreamError.unexpectedReply(command: "TYPE", detail: "dead-letter key holds a \(type), not a stream")
            }
            let replies = try await client.pipeline(commands)
            try deadLetters.verify(replies, letters: letters)
            metrics.deadLettered(reason, count: letters.count)
            metrics.acked.increment(by: letters.count)
            lastErrors.forget(letters.map(\.entry.id))
            for letter in letters {
                logger.warning("entry dead-lettered", metadata: [
                    "stream.entry_id": "\(letter.entry.id)",
                    "stream.dead": "\(configuration.deadLetterStream)",
                    "dead.reason": "\(letter.reason)",
                    "dead.deliveries": "\(letter.deliveries)",
                ])
            }
        } catch {
            metrics.error(.deadLetter)
            logger.error("cannot dead-letter entries; they stay pending", metadata: [
                "count": "\(letters.count)", "error": "\(error)",
            ])
        }
    }

    /// Delivery counts from `XPENDING s g id id 1`, unless already known.
    private func deliveryCounts(_ ids: [String], known: Int64?) async -> [String: Int64] {
        if let known { return Dictionary(uniqueKeysWithValues: ids.map { ($0, known) }) }
        let commands = ids.map { ["XPENDING", configuration.stream, configuration.group, $0, $0, "1"] }
        guard let replies = try? await client.pipeline(commands) else { return [:] }
        var counts: [String: Int64] = [:]
        for reply in replies {
            if let row = try? StreamReplyParser.pending(reply).first {
                counts[row.id] = row.deliveries
            }
        }
        return counts
    }

    /// Logs and counts entries that vanished (trimmed) before they could be handled.
    func reportLost(_ ids: [String], how: String) {
        guard !ids.isEmpty else { return }
        metrics.lost.increment(by: ids.count)
        logger.error("stream entries lost: \(how) before being handled", metadata: [
            "count": "\(ids.count)", "stream.entry_ids": "\(ids.prefix(20).joined(separator: ","))",
        ])
    }
}
