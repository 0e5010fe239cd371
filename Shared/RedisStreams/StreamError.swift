/// Errors of the stream runtime (Redis errors are thrown as ``Redis/RedisError``).
public enum StreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A Redis reply did not have the documented shape for the command.
    case unexpectedReply(command: String, detail: String)
    /// A pipelined batch stopped at an error reply; `addedIDs` were written before it.
    case batchFailed(addedIDs: [String], reason: String)
    /// A `MULTI`/`EXEC` transaction was aborted; nothing in it took effect.
    case transactionAborted(String)

    public var description: String {
        switch self {
        case .unexpectedReply(let command, let detail):
            return "unexpected reply to \(command): \(detail)"
        case .batchFailed(let added, let reason):
            return "stream batch failed after \(added.count) entries were added: \(reason)"
        case .transactionAborted(let reason):
            return "Redis transaction aborted: \(reason)"
        }
    }
}
