import Redis

/// Why an export stream was given up.
public enum ExportStreamError: Error, Sendable, CustomStringConvertible {
    /// Nothing was read for the idle timeout; the stream was deleted.
    case abandoned(idleSeconds: Int)
    /// The reader deleted the stream (it gave up).
    case readerGone
    /// Redis failed.
    case redis(String)
    /// The export was cancelled (the service is shutting down).
    case cancelled

    public var description: String {
        switch self {
        case .abandoned(let seconds): return "nobody read the export stream for \(seconds) s; it was deleted"
        case .readerGone: return "the reader deleted the export stream"
        case .redis(let reason): return "Redis failed while writing the export stream: \(reason)"
        case .cancelled: return "the export was cancelled because the reporting service is shutting down"
        }
    }
}

/// Writes a CSV export to its Redis stream as `docs/queries.md` defines: entries with one field, `chunk`
/// (at most 256 KiB) or `end` (`ok` or `error:<message>`); at most 16 unread entries (the reader `XDEL`s
/// what it has read, so `XLEN` is the unread count); the stream expires 5 minutes after the last write;
/// nothing read for the idle timeout → the stream is deleted and the export stops.
public struct ExportStreamWriter: Sendable {
    /// Largest `chunk` value.
    public static let maxChunkBytes = 256 * 1024
    /// Unread entries allowed in the stream.
    public static let maxUnread = 16
    /// Expiry after the last write, in milliseconds.
    public static let expiryMilliseconds = 300_000

    let redis: RedisClient
    /// The stream key, `<prefix>:export:<uuid>`.
    public let key: String
    let idleTimeout: Duration
    private var unread = 0
    private var lastProgress = ContinuousClock.now
    private var started = false
    /// Bytes written in `chunk` entries.
    public private(set) var bytesWritten = 0

    /// A writer for `key`; `idleTimeout` is how long it waits for the reader to make room.
    public init(redis: RedisClient, key: String, idleTimeout: Duration) {
        self.redis = redis
        self.key = key
        self.idleTimeout = idleTimeout
    }

    /// Appends `bytes` as one or more `chunk` entries, waiting while 16 are unread.
    public mutating func write(_ bytes: [UInt8]) async throws(ExportStreamError) {
        if !started {
            started = true
            lastProgress = .now
        }
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + Self.maxChunkBytes)
            try await waitForRoom()
            try await append(field: "chunk", value: Array(bytes[offset..<end]))
            bytesWritten += end - offset
            offset = end
        }
    }

    /// Appends the `end` entry: `ok`, or `error:<message>`.
    public mutating func finish(error: String? = nil) async throws(ExportStreamError) {
        let value = error.map { "error:" + $0 } ?? "ok"
        try await append(field: "end", value: Array(value.utf8))
    }

    /// Deletes the stream (after a failure that makes the export pointless).
    public func delete() async {
        _ = try? await redis.send(["DEL", key])
    }

    private mutating func append(field: String, value: [UInt8]) async throws(ExportStreamError) {
        let replies: [RedisReply]
        do {
            replies = try await redis.pipeline([
                [Array("XADD".utf8), Array(key.utf8), Array("*".utf8), Array(field.utf8), value],
                [Array("PEXPIRE".utf8), Array(key.utf8), Array(String(Self.expiryMilliseconds).utf8)],
                [Array("XLEN".utf8), Array(key.utf8)],
            ])
            for reply in replies { _ = try reply.throwingOnError() }
        } catch {
            throw .redis("\(error)")
        }
        let length = Int(replies[2].int ?? 0)
        if length <= unread { lastProgress = .now }
        unread = length
    }

    private mutating func waitForRoom() async throws(ExportStreamError) {
        var pause = Duration.milliseconds(1)
        while unread >= Self.maxUnread {
            if ContinuousClock.now - lastProgress > idleTimeout {
                await delete()
                throw .abandoned(idleSeconds: Int(idleTimeout.components.seconds))
            }
            do {
                try await Task.sleep(for: pause)
            } catch {
                throw .cancelled
            }
            pause = min(pause * 2, .milliseconds(4))
            let replies: [RedisReply]
            do {
                replies = try await redis.pipeline([["XLEN", key], ["EXISTS", key]])
            } catch {
                throw .redis("\(error)")
            }
            if replies[1].int == 0 { throw .readerGone }
            let length = Int(replies[0].int ?? 0)
            if length < unread {
                lastProgress = .now
                pause = .milliseconds(1)
            }
            unread = length
        }
    }
}
