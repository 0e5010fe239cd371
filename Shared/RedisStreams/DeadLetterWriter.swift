import Redis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An entry to move to the dead-letter stream, with why.
struct DeadLetter: Sendable {
    var entry: StreamEntry
    var reason: String
    var deliveries: Int64
}

/// Writes dead letters: for each, `XADD <dead> * <original fields…> dead.*…` and `XACK` of the
/// original, all inside one `MULTI`/`EXEC` in one round trip, so an entry is never acknowledged
/// without its copy, nor copied without being acknowledged.
struct DeadLetterWriter: Sendable {
    let stream: String
    let group: String
    let consumer: String
    let deadLetterStream: String

    /// The pipelined commands: MULTI, (XADD, XACK) per letter, EXEC.
    func commands(for letters: [DeadLetter]) -> [[[UInt8]]] {
        let now = Self.rfc3339Now()
        var commands: [[[UInt8]]] = [[Array("MULTI".utf8)]]
        for letter in letters {
            var xadd: [[UInt8]] = [Array("XADD".utf8), Array(deadLetterStream.utf8), [UInt8(ascii: "*")]]
            for field in letter.entry.fields {
                xadd.append(Array(field.name.utf8))
                xadd.append(field.value)
            }
            let metadata: [(String, String)] = [
                ("dead.reason", letter.reason),
                ("dead.original_id", letter.entry.id),
                ("dead.stream", stream),
                ("dead.group", group),
                ("dead.consumer", consumer),
                ("dead.deliveries", String(letter.deliveries)),
                ("dead.at", now),
            ]
            for (name, value) in metadata {
                xadd.append(Array(name.utf8))
                xadd.append(Array(value.utf8))
            }
            commands.append(xadd)
            commands.append([Array("XACK".utf8), Array(stream.utf8), Array(group.utf8), Array(letter.entry.id.utf8)])
        }
        commands.append([Array("EXEC".utf8)])
        return commands
    }

    /// Checks the replies of ``commands(for:)``; throws unless `EXEC` ran every command.
    /// `EXEC` has no rollback: if an `XADD` failed at run time while its `XACK` ran, the error
    /// names the ids that were acknowledged without a copy (callers check the key type first).
    func verify(_ replies: [RedisReply], letters: [DeadLetter]) throws {
        let count = letters.count
        for reply in replies.dropLast() {
            if let message = reply.errorMessage {
                throw StreamError.transactionAborted(message)
            }
        }
        guard let exec = replies.last else {
            throw StreamError.transactionAborted("no EXEC reply")
        }
        if let message = exec.errorMessage {
            throw StreamError.transactionAborted(message)
        }
        guard let results = exec.array, results.count == count * 2 else {
            throw StreamError.transactionAborted("EXEC returned \(exec)")
        }
        var uncopied: [String] = []
        var firstError: String?
        for (index, letter) in letters.enumerated() {
            let added = results[index * 2]
            let acknowledged = results[index * 2 + 1]
            if let message = added.errorMessage ?? acknowledged.errorMessage {
                firstError = firstError ?? message
                if added.errorMessage != nil, acknowledged.int == 1 { uncopied.append(letter.entry.id) }
            }
        }
        if let firstError {
            let lost = uncopied.isEmpty ? "" : "; acknowledged without a dead-letter copy: \(uncopied.joined(separator: ","))"
            throw StreamError.transactionAborted(firstError + lost)
        }
    }

    /// The current time as RFC 3339 UTC with milliseconds, e.g. `2026-11-25T08:00:00.123Z`.
    static func rfc3339Now() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = Int(now.tv_nsec) / 1_000_000
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds), 3))Z"
    }
}
