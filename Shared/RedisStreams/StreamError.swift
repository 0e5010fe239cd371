/// Errors of the stream runtime (Redis errors are thrown as ``Redis/RedisError``).
public enum StreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A Redis reply did not have the documented shape for the command.
    case unexpectedReply(command: String, detail: String)
    /// A pipelined batch stopped at an error reply; `addedIDs` were written before it.
    case batchFailed(addedIDs: [String], reason: String)
    /// A `MULTI`/`EXEC` transaction was aborted; nothing in it took effect.
    case transactionAborted(String)
    /// Every entry was added (`addedIDs`), but fewer replicas than ``ReplicaWait/replicas`` acknowledged
    /// them within its timeout (`replicas` did).
    case notReplicated(addedIDs: [String], replicas: Int)

    public var description: String {
        switch self {
        case .unexpectedReply(let command, let detail):
            return "unexpected reply to \(command): \(detail)"
        case .batchFailed(let added, let reason):
            return "stream batch failed after \(added.count) entries were added: \(reason)"
        case .transactionAborted(let reason):
            return "Redis transaction aborted: \(reason)"
        case .notReplicated(let added, let replicas):
            return "\(added.count) entries were added but only \(replicas) replicas acknowledged them in time"
        }
    }
}
