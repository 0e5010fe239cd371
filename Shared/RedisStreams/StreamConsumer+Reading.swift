import Logging
import Redis
import ServiceLifecycle

extension StreamConsumer {
    /// Reads and processes batches until stopping (or, with `untilDrained`, until the own
    /// pending list is empty).
    func readLoop(_ state: inout ReadState, reader: RedisDedicatedConnection, untilDrained: Bool) async {
        while !isStopping {
            if untilDrained, state.phase == .new { return }
            do {
                try await readStep(&state, reader: reader)
                state.failures = 0
            } catch {
                if Task.isCancelled { return }
                state.failures += 1
                await recover(from: error, state: &state)
            }
        }
    }

    /// One read (with the previous batch's `XACK` in the same round trip) and its processing.
    private func readStep(_ state: inout ReadState, reader: RedisDedicatedConnection) async throws {
        let entries: [DeliveredEntry]
        switch state.phase {
        case .pending(let after):
            entries = try await read(reader: reader, from: after, block: false, acknowledging: state.acknowledgements)
            state.acknowledgements = []
            guard let last = entries.last else {
                state.phase = .new
                return
            }
            state.phase = .pending(after: last.id)
        case .new:
            entries = try await read(reader: reader, from: ">", block: true, acknowledging: state.acknowledgements)
            state.acknowledgements = []
            if entries.isEmpty { return }
        }
        state.acknowledgements = await process(entries, knownDeliveries: state.phase == .new ? 1 : nil)
    }

    private func read(
        reader: RedisDedicatedConnection,
        from id: String,
        block: Bool,
        acknowledging acknowledgements: [String]
    ) async throws -> [DeliveredEntry] {
        let configuration = configuration
        var commands: [[String]] = []
        if !acknowledgements.isEmpty {
            commands.append(["XACK", configuration.stream, configuration.group] + acknowledgements)
        }
        var readGroup = ["XREADGROUP", "GROUP", configuration.group, configuration.consumer,
                         "COUNT", String(configuration.batchSize)]
        if block { readGroup += ["BLOCK", String(configuration.blockMilliseconds)] }
        readGroup += ["STREAMS", configuration.stream, id]
        commands.append(readGroup)
        let pipeline = commands
        let replies = try await reader.run { [self] connection in
            if block {
                readerClientID.store(try connection.clientID(), ordering: .relaxed)
            }
            return try connection.pipeline(pipeline)
        }
        if !acknowledgements.isEmpty, let reply = replies.first {
            noteAcknowledged(acknowledgements, reply: reply)
        }
        guard let readReply = replies.last else {
            throw StreamError.unexpectedReply(command: "XREADGROUP", detail: "no reply")
        }
        return try StreamReplyParser.readGroup(readReply)
    }

    /// Counts an `XACK` reply and forgets the acknowledged ids' errors.
    func noteAcknowledged(_ ids: [String], reply: RedisReply) {
        if let count = reply.int {
            metrics.acked.increment(by: count)
            lastErrors.forget(ids)
        } else {
            metrics.error(.protocol)
            logger.error("XACK failed", metadata: ["error": "\(reply.errorMessage ?? "unexpected reply")"])
        }
    }

    /// Decides what to do after a failed read: recreate a missing group, or back off and drain
    /// the own pending list again once the connection is back.
    private func recover(from error: any Error, state: inout ReadState) async {
        if case RedisError.server(let message) = error, message.hasPrefix("NOGROUP") {
            logger.warning("consumer group or stream vanished; recreating it")
            try? await ensureGroup()
        } else {
            record(error, while: "reading")
        }
        state.phase = .pending(after: "0")
        await backOff(failures: state.failures)
    }

    /// Acknowledges what was handled but not yet acknowledged (at shutdown).
    func flushAcknowledgements(_ state: inout ReadState, reader: RedisDedicatedConnection) async {
        guard !state.acknowledgements.isEmpty else { return }
        let command = ["XACK", configuration.stream, configuration.group] + state.acknowledgements
        do {
            let reply = try await reader.run { connection in try connection.command(command) }
            noteAcknowledged(state.acknowledgements, reply: reply)
            state.acknowledgements = []
        } catch {
            logger.warning("handled entries could not be acknowledged at shutdown; they will be redelivered", metadata: [
                "count": "\(state.acknowledgements.count)", "error": "\(error)",
            ])
        }
    }
}
