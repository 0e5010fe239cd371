import Foundation
import Redis
import Synchronization

/// Short-lived Redis keys carrying imports and exports (`docs/queries.md`, "Binary bodies"):
/// `<prefix>:blob:<uuid>`. Used synchronously from the handlers' PostgreSQL threads through one Redis
/// connection of its own.
final class BlobStore: Sendable {
    /// How long an export stays readable.
    static let exportSeconds = 60
    /// How long an import key lives after knowledge read it (instead of an immediate `DEL`, so that a
    /// transaction retried after a deadlock can read it again).
    static let consumedSeconds = 10
    /// The largest blob read (imports).
    static let maxBytes = 32 * 1024 * 1024

    private let connection: Mutex<RedisConnection>
    private let prefix: String

    /// A store under the stream prefix `prefix`.
    init(configuration: RedisConfiguration, prefix: String) {
        connection = Mutex(RedisConnection(configuration: configuration))
        self.prefix = prefix
    }

    /// Reads an uploaded blob and lets it expire shortly; refuses keys that are not blob keys.
    func consume(_ key: String) throws -> [UInt8] {
        guard key.hasPrefix("\(prefix):blob:"), UUID(uuidString: String(key.dropFirst(prefix.count + 6))) != nil else {
            throw Refusal(.invalidParams, "`blob_key` must be a key \(prefix):blob:<uuid> written by the gateway")
        }
        let replies = try connection.withLock { connection in
            try connection.pipeline([["STRLEN", key], ["GET", key], ["EXPIRE", key, "\(Self.consumedSeconds)"]])
        }
        if let length = replies.first?.int, length > Self.maxBytes {
            throw Refusal(.payloadTooLarge, "the file is \(length) bytes; at most \(Self.maxBytes) are accepted")
        }
        guard replies.count == 3, let bytes = replies[1].bytes else {
            if let message = replies.compactMap(\.errorMessage).first { throw BlobError.redis(message) }
            throw Refusal(.invalidParams, "`blob_key` \(key) does not exist (it expires 5 minutes after the upload); upload again")
        }
        return bytes
    }

    /// Stores `bytes` under a new blob key for ``exportSeconds`` and returns the key.
    func publish(_ bytes: [UInt8]) throws -> String {
        let key = "\(prefix):blob:\(UUID().uuidString.lowercased())"
        let reply = try connection.withLock { connection in
            try connection.command([Array("SET".utf8), Array(key.utf8), bytes, Array("EX".utf8), Array("\(Self.exportSeconds)".utf8)])
        }
        if let message = reply.errorMessage { throw BlobError.redis(message) }
        return key
    }
}

/// Redis refused a blob command.
enum BlobError: Error, CustomStringConvertible {
    case redis(String)

    var description: String {
        switch self {
        case .redis(let message): return "Redis refused a blob command: \(message)"
        }
    }
}
