import Foundation
import KefuModel
import ServiceRuntime

/// The gateway's own settings, read from the environment at start (the shared ones are in
/// ``ServiceConfiguration``). Every variable is documented in `Services/Gateway/README.md`.
public struct GatewayConfiguration: Sendable, CustomStringConvertible {
    /// HMAC-SHA256 key that signs visitor tokens (`KEFU_GATEWAY_SECRET`, required, at least 32 bytes).
    public var secret: [UInt8]
    /// How long a forwarded request waits for its reply (`KEFU_GATEWAY_REQUEST_TIMEOUT_MS`, default 5000).
    public var requestTimeout: Duration
    /// Access token lifetime (`KEFU_ACCESS_TOKEN_TTL_S`, default 3600).
    public var accessTokenTTL: Int
    /// Refresh token lifetime (`KEFU_REFRESH_TOKEN_TTL_S`, default 2592000 = 30 days).
    public var refreshTokenTTL: Int
    /// Visitor token lifetime (`KEFU_VISITOR_TOKEN_TTL_S`, default 2592000 = 30 days).
    public var visitorTokenTTL: Int
    /// bcrypt cost for new password hashes (`KEFU_BCRYPT_COST`, default 12, 4-16).
    public var bcryptCost: Int
    /// Origins allowed to call the API from a browser (`KEFU_CORS_ORIGINS`, comma-separated, default none).
    public var corsOrigins: Set<String>
    /// Visitor channels besides `web-pc` and `web-h5` (`KEFU_CHANNELS`, comma-separated).
    public var channels: Set<String>
    /// Visitor requests per minute and burst (`KEFU_RATE_VISITOR_PER_MIN` 60, `KEFU_RATE_VISITOR_BURST` 20).
    public var visitorRate: RateLimit
    /// Requests per minute and burst per client IP (`KEFU_RATE_IP_PER_MIN` 600, `KEFU_RATE_IP_BURST` 120).
    public var ipRate: RateLimit
    /// Login attempts per minute and burst per username and client IP together (`KEFU_RATE_LOGIN_PER_MIN` 10,
    /// `KEFU_RATE_LOGIN_BURST` 10).
    public var loginRate: RateLimit
    /// Failed logins per minute and burst per client IP, whatever the username (`KEFU_RATE_LOGIN_FAILURES_PER_MIN`
    /// 20, `KEFU_RATE_LOGIN_FAILURES_BURST` 20).
    public var loginFailureRate: RateLimit
    /// Largest JSON body in bytes (`KEFU_MAX_JSON_BYTES`, default 65536).
    public var maxJSONBytes: Int
    /// Largest image upload in bytes (fixed: 5 MiB).
    public var maxImageBytes: Int
    /// Whether to take the client IP from `X-Forwarded-For` (`KEFU_TRUST_PROXY`, default false).
    public var trustProxy: Bool
    /// Admin account created at start when missing (`KEFU_BOOTSTRAP_ADMIN_USERNAME` and `…_PASSWORD`).
    public var bootstrapAdmin: (username: String, password: String)?
    /// Interval of the workbench socket's presence heartbeat (`KEFU_HEARTBEAT_INTERVAL_S`, default 10).
    public var heartbeatInterval: Int
    /// Presence lifetime sent with each heartbeat (`KEFU_HEARTBEAT_TTL_S`, default 30).
    public var heartbeatTTL: Int
    /// Events kept in memory for socket resumes (`KEFU_EVENT_BUFFER`, default 20000).
    public var eventBufferSize: Int
    /// Block time of the stream tailers in milliseconds (`KEFU_STREAM_BLOCK_MS`, shared, default 2000).
    public var tailBlockMilliseconds: Int
    /// Webhook delivery settings (`KEFU_WEBHOOKS_*`).
    public var webhooks: WebhookSettings
    /// HMAC-SHA256 key of signed visitor identities (`KEFU_VISITOR_IDENTITY_SECRET`, optional, at least 32 bytes;
    /// shared with the website's backend, which signs; see docs/integrations.md). Nil: identities are refused.
    public var identitySecret: [UInt8]?

    /// A token bucket: `perMinute` tokens refill per minute, up to `burst`.
    public struct RateLimit: Sendable, Equatable {
        /// Refill rate.
        public var perMinute: Int
        /// Bucket size.
        public var burst: Int
    }

    /// A summary without the secret or the bootstrap password.
    public var description: String {
        "GatewayConfiguration(secret: (\(secret.count) bytes), requestTimeout: \(requestTimeout), channels: \(channels.sorted()), "
            + "corsOrigins: \(corsOrigins.sorted()), visitorRate: \(visitorRate), ipRate: \(ipRate), "
            + "bootstrapAdmin: \(bootstrapAdmin.map { $0.username } ?? "none"))"
    }

    /// The channels every gateway serves.
    public static let builtInChannels: Set<String> = ["web-pc", "web-h5"]

    /// Reads and validates the variables.
    public init(reader: ConfigReader = ConfigReader()) throws(ConfigError) {
        guard let secretText = reader.environment["KEFU_GATEWAY_SECRET"], !secretText.isEmpty else {
            throw .missing(variable: "KEFU_GATEWAY_SECRET")
        }
        guard secretText.utf8.count >= 32 else {
            throw .invalid(
                variable: "KEFU_GATEWAY_SECRET", value: "(\(secretText.utf8.count) bytes)",
                reason: "must be at least 32 bytes of random text, e.g. `openssl rand -hex 32`")
        }
        secret = Array(secretText.utf8)
        requestTimeout = try reader.milliseconds("KEFU_GATEWAY_REQUEST_TIMEOUT_MS", default: 5000, range: 100...120_000)
        accessTokenTTL = try reader.int("KEFU_ACCESS_TOKEN_TTL_S", default: 3600, range: 60...86_400)
        refreshTokenTTL = try reader.int("KEFU_REFRESH_TOKEN_TTL_S", default: 2_592_000, range: 300...31_536_000)
        visitorTokenTTL = try reader.int("KEFU_VISITOR_TOKEN_TTL_S", default: 2_592_000, range: 60...31_536_000)
        bcryptCost = try reader.int("KEFU_BCRYPT_COST", default: 12, range: 4...16)
        corsOrigins = try Self.origins(reader)
        channels = Self.builtInChannels.union(try Self.channelList(reader))
        visitorRate = RateLimit(
            perMinute: try reader.int("KEFU_RATE_VISITOR_PER_MIN", default: 60, range: 1...100_000),
            burst: try reader.int("KEFU_RATE_VISITOR_BURST", default: 20, range: 1...100_000))
        ipRate = RateLimit(
            perMinute: try reader.int("KEFU_RATE_IP_PER_MIN", default: 600, range: 1...1_000_000),
            burst: try reader.int("KEFU_RATE_IP_BURST", default: 120, range: 1...1_000_000))
        loginRate = RateLimit(
            perMinute: try reader.int("KEFU_RATE_LOGIN_PER_MIN", default: 10, range: 1...100_000),
            burst: try reader.int("KEFU_RATE_LOGIN_BURST", default: 10, range: 1...100_000))
        loginFailureRate = RateLimit(
            perMinute: try reader.int("KEFU_RATE_LOGIN_FAILURES_PER_MIN", default: 20, range: 1...100_000),
            burst: try reader.int("KEFU_RATE_LOGIN_FAILURES_BURST", default: 20, range: 1...100_000))
        maxJSONBytes = try reader.int("KEFU_MAX_JSON_BYTES", default: 65_536, range: 1024...1_048_576)
        maxImageBytes = 5 * 1024 * 1024
        trustProxy = try reader.bool("KEFU_TRUST_PROXY", default: false)
        let username = reader.raw("KEFU_BOOTSTRAP_ADMIN_USERNAME")
        let password = reader.environment["KEFU_BOOTSTRAP_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        switch (username, password) {
        case (let username?, let password?):
            guard password.count >= 8 else {
                throw .invalid(variable: "KEFU_BOOTSTRAP_ADMIN_PASSWORD", value: "(hidden)", reason: "must be at least 8 characters")
            }
            bootstrapAdmin = (username, password)
        case (nil, nil):
            bootstrapAdmin = nil
        case (nil, _):
            throw .missing(variable: "KEFU_BOOTSTRAP_ADMIN_USERNAME")
        case (_, nil):
            throw .missing(variable: "KEFU_BOOTSTRAP_ADMIN_PASSWORD")
        }
        heartbeatInterval = try reader.int("KEFU_HEARTBEAT_INTERVAL_S", default: 10, range: 1...120)
        heartbeatTTL = try reader.int("KEFU_HEARTBEAT_TTL_S", default: 30, range: 5...300)
        guard heartbeatTTL > heartbeatInterval else {
            throw .invalid(
                variable: "KEFU_HEARTBEAT_TTL_S", value: "\(heartbeatTTL)",
                reason: "must be longer than KEFU_HEARTBEAT_INTERVAL_S (\(heartbeatInterval))")
        }
        eventBufferSize = try reader.int("KEFU_EVENT_BUFFER", default: 20_000, range: 100...1_000_000)
        tailBlockMilliseconds = try reader.int("KEFU_STREAM_BLOCK_MS", default: 2000, range: 10...60_000)
        webhooks = try WebhookSettings(reader: reader)
        identitySecret = nil
        if let identity = reader.environment["KEFU_VISITOR_IDENTITY_SECRET"], !identity.isEmpty {
            guard identity.utf8.count >= 32 else {
                throw .invalid(
                    variable: "KEFU_VISITOR_IDENTITY_SECRET", value: "(\(identity.utf8.count) bytes)",
                    reason: "must be at least 32 bytes of random text, e.g. `openssl rand -hex 32`")
            }
            guard Array(identity.utf8) != secret else {
                throw .invalid(
                    variable: "KEFU_VISITOR_IDENTITY_SECRET", value: "(hidden)",
                    reason: "must differ from KEFU_GATEWAY_SECRET: it is shared with the website's backend")
            }
            identitySecret = Array(identity.utf8)
        }
    }

    private static func origins(_ reader: ConfigReader) throws(ConfigError) -> Set<String> {
        var result: Set<String> = []
        for item in (reader.raw("KEFU_CORS_ORIGINS") ?? "").split(separator: ",") {
            let origin = item.trimmingCharacters(in: .whitespaces)
            guard origin.hasPrefix("http://") || origin.hasPrefix("https://"), !origin.hasSuffix("/") else {
                throw .invalid(
                    variable: "KEFU_CORS_ORIGINS", value: origin,
                    reason: "each origin must look like https://shop.example.com (scheme and host, no path)")
            }
            result.insert(origin)
        }
        return result
    }

    private static func channelList(_ reader: ConfigReader) throws(ConfigError) -> Set<String> {
        var result: Set<String> = []
        for item in (reader.raw("KEFU_CHANNELS") ?? "").split(separator: ",") {
            let channel = item.trimmingCharacters(in: .whitespaces)
            do {
                try FieldRules.channel(channel)
            } catch {
                throw .invalid(variable: "KEFU_CHANNELS", value: channel, reason: "\(error)")
            }
            result.insert(channel)
        }
        return result
    }
}
