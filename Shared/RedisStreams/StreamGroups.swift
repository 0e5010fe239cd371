import Foundation
import Redis

/// Consumer-group housekeeping.
public enum StreamGroups {
    /// Creates `group` on `stream` (and the stream) if it does not exist yet; an existing group is kept.
    /// - Parameter startID: where a new group starts: `0` (everything still in the stream) or `$` (only new).
    public static func create(stream: String, group: String, startID: String = "0", redis: RedisClient) async throws {
        do {
            _ = try await redis.send(["XGROUP", "CREATE", stream, group, startID, "MKSTREAM"])
        } catch RedisError.server(let message) where message.hasPrefix("BUSYGROUP") {
            return
        }
    }
}
