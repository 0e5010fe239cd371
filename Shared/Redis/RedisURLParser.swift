/// Parser for `redis://`, `redis+sentinel://` and `redis+cluster://` URLs, kept apart from ``RedisConfiguration`` so it stays testable and small.
enum RedisURLParser {
    struct Parts: Equatable {
        var host: String
        var port: Int
        var username: String?
        var password: String?
        var database: Int
        var sentinel: RedisSentinelConfiguration?
        var cluster: RedisClusterConfiguration?
    }

    static func parse(_ url: String) throws(RedisError) -> Parts {
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw .invalidURL("missing scheme, the URL must start with redis://, redis+sentinel:// or redis+cluster://")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let isSentinel = scheme == "redis+sentinel"
        let isCluster = scheme == "redis+cluster"
        guard scheme == "redis" || isSentinel || isCluster else {
            if scheme.hasPrefix("rediss") {
                throw .invalidURL("TLS (rediss://) is not supported, use redis://, redis+sentinel:// or redis+cluster://")
            }
            throw .invalidURL("unsupported scheme '\(scheme)', use redis://, redis+sentinel:// or redis+cluster://")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        if rest.contains("#") {
            throw .invalidURL("fragments (#) are not supported")
        }
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if query != nil, !isSentinel, !isCluster {
            throw .invalidURL("query parameters are not supported in redis:// URLs")
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        var hostPort = rest
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            hostPort = rest[rest.index(after: at)...]
            guard let colon = userInfo.firstIndex(of: ":") else {
                throw .invalidURL("credentials must be written ':password@' or 'user:password@'")
            }
            let user = try percentDecode(userInfo[..<colon], part: "user name")
            username = user.isEmpty ? nil : user
            password = try percentDecode(userInfo[userInfo.index(after: colon)...], part: "password")
        }
        if isCluster {
            return try parseCluster(hostPort, path: path, query: query, username: username, password: password)
        }
        guard isSentinel else {
            let (host, port) = try parseHostPort(hostPort, defaultPort: 6379)
            let database = try parseDatabase(path)
            return Parts(host: host, port: port, username: username, password: password, database: database)
        }
        let sentinels = try parseEndpoints(hostPort, kind: "sentinel", defaultPort: RedisSentinelConfiguration.defaultPort)
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let name = segments.first, !name.isEmpty else {
            throw .invalidURL("missing master name, write redis+sentinel://host:26379,…/master-name[/db]")
        }
        guard segments.count <= 3, segments.count < 3 || segments[2].isEmpty else {
            throw .invalidURL("too many path segments, write /master-name[/db]")
        }
        let masterName = try percentDecode(name, part: "master name")
        let database = try parseDatabase(segments.count > 1 ? segments[1] : "")
        var sentinel = RedisSentinelConfiguration(sentinels: sentinels, masterName: masterName)
        for (key, value) in try parseQuery(query) {
            switch key {
            case "sentinel_password":
                sentinel.password = try percentDecode(value, part: "sentinel password")
            case "sentinel_username":
                let user = try percentDecode(value, part: "sentinel user name")
                sentinel.username = user.isEmpty ? nil : user
            default:
                throw .invalidURL("unknown query parameter '\(key)', expected sentinel_username or sentinel_password")
            }
        }
        let first = sentinels[0]
        return Parts(host: first.host, port: first.port, username: username, password: password,
                     database: database, sentinel: sentinel)
    }

    /// `redis+cluster://[[user]:password@]host[:port][,host[:port]…][/][?max_redirects=N&retry_timeout_ms=N]`.
    private static func parseCluster(
        _ hosts: Substring, path: Substring, query: Substring?, username: String?, password: String?
    ) throws(RedisError) -> Parts {
        let seeds = try parseEndpoints(hosts, kind: "cluster node", defaultPort: 6379)
        guard path.isEmpty || path == "0" else {
            throw .invalidURL("a Redis Cluster has only database 0, got '/\(path)'")
        }
        var cluster = RedisClusterConfiguration(seeds: seeds)
        for (key, value) in try parseQuery(query) {
            switch key {
            case "max_redirects":
                guard let number = Int(value), (1...100).contains(number) else {
                    throw .invalidURL("max_redirects must be a number from 1 to 100, got '\(value)'")
                }
                cluster.maxRedirects = number
            case "retry_timeout_ms":
                guard let number = Int(value), (0...600_000).contains(number) else {
                    throw .invalidURL("retry_timeout_ms must be a number from 0 to 600000, got '\(value)'")
                }
                cluster.retryTimeout = .milliseconds(number)
            default:
                throw .invalidURL("unknown query parameter '\(key)', expected max_redirects or retry_timeout_ms")
            }
        }
        return Parts(host: seeds[0].host, port: seeds[0].port, username: username, password: password,
                     database: 0, cluster: cluster)
    }

    /// A comma-separated list of `host[:port]` (sentinels, cluster seed nodes).
    private static func parseEndpoints(_ list: Substring, kind: String, defaultPort: Int) throws(RedisError) -> [RedisEndpoint] {
        var endpoints: [RedisEndpoint] = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else {
                throw .invalidURL("empty \(kind) address in the comma-separated list")
            }
            let (host, port) = try parseHostPort(item, defaultPort: defaultPort)
            endpoints.append(RedisEndpoint(host: host, port: port))
        }
        return endpoints
    }

    /// The `key=value` pairs of a query, in order; a key without a value is refused.
    private static func parseQuery(_ query: Substring?) throws(RedisError) -> [(Substring, Substring)] {
        var pairs: [(Substring, Substring)] = []
        for pair in (query ?? "").split(separator: "&") {
            let key = pair.prefix { $0 != "=" }
            guard key.count < pair.count else {
                throw .invalidURL("query parameter '\(key)' needs a value (key=value)")
            }
            pairs.append((key, pair.dropFirst(key.count + 1)))
        }
        return pairs
    }

    private static func parseHostPort(_ text: Substring, defaultPort: Int) throws(RedisError) -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw .invalidURL("IPv6 host is missing its closing ']'")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw .invalidURL("unexpected text after IPv6 host")
                }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = text
        }
        guard !host.isEmpty else {
            throw .invalidURL("missing host")
        }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else {
                throw .invalidURL("port must be a number from 1 to 65535, got '\(portText)'")
            }
            port = value
        }
        return (String(host), port)
    }

    private static func parseDatabase(_ path: Substring) throws(RedisError) -> Int {
        if path.isEmpty { return 0 }
        guard let value = Int(path), value >= 0 else {
            throw .invalidURL("database must be a non-negative number, got '\(path)'")
        }
        return value
    }

    /// Decodes `%XX` escapes. The error names the part, never its content.
    private static func percentDecode(_ text: Substring, part: String) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw .invalidURL("the \(part) contains a malformed percent-escape (use %XX)")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .invalidURL("the \(part) is not valid UTF-8 after percent-decoding")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
