import Redis

/// Token buckets in Redis, shared by every gateway instance: one Lua script refills and takes a token
/// atomically using the Redis server's clock.
struct RateLimiter: Sendable {
    let redis: RedisClient
    let prefix: String

    /// Refills `tokens` at `ARGV[1]` per millisecond up to `ARGV[2]`, takes `ARGV[3]` (default 1; 0 only
    /// looks) if at least one is left; returns `{allowed, wait_ms}`.
    static let script = """
        local key = KEYS[1]
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local cost = tonumber(ARGV[3]) or 1
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', key, 'tokens', 'ts')
        local tokens = tonumber(state[1]) or burst
        local ts = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
        local allowed = 0
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - cost
          allowed = 1
        else
          wait = math.ceil((1 - tokens) / rate)
        end
        redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now))
        redis.call('PEXPIRE', key, math.ceil(burst / rate) + 1000)
        return {allowed, wait}
        """

    /// Takes a token from the bucket `name` (e.g. `ip:203.0.113.9`), or throws 429 with `Retry-After`.
    /// When Redis is unreachable the request is let through (availability over strictness) and logged by the caller.
    func take(_ name: String, limit: GatewayConfiguration.RateLimit) async throws {
        try await spend(name, limit: limit, cost: 1)
    }

    /// Throws 429 like ``take(_:limit:)`` when the bucket is empty, without taking a token (a bucket
    /// that only failures empty, such as failed logins per client).
    func check(_ name: String, limit: GatewayConfiguration.RateLimit) async throws {
        try await spend(name, limit: limit, cost: 0)
    }

    private func spend(_ name: String, limit: GatewayConfiguration.RateLimit, cost: Int) async throws {
        let rate = Double(limit.perMinute) / 60_000
        let reply = try await redis.send([
            "EVAL", Self.script, "1", "\(prefix):ratelimit:\(name)", String(rate), String(limit.burst), String(cost),
        ])
        guard let parts = reply.array, parts.count == 2, let allowed = parts[0].int, let wait = parts[1].int else { return }
        if allowed == 1 { return }
        let seconds = max(1, Int((wait + 999) / 1000))
        throw APIError(
            .tooManyRequests, "rate_limited", "too many requests; retry in \(seconds) s",
            headers: [.retryAfter: String(seconds)])
    }
}
