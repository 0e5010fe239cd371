/// Parses and builds `postgres://` URLs. Error reasons name the faulty part but never quote the
/// password (and quote other parts only where they are not secret).
enum PostgresURLParser {
    static func parse(_ url: String) throws(PostgresError) -> PostgresConfiguration {
        let trimmed = url.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw .invalidURL(reason: "the URL is empty")
        }
        guard let schemeEnd = trimmed.range(of: "://") else {
            throw .invalidURL(reason: "missing scheme; expected postgres://user:password@host:port/database")
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw .invalidURL(reason: "unsupported scheme '\(scheme)'; expected postgres:// or postgresql://")
        }
        let rest = Substring(trimmed[schemeEnd.upperBound...])
        if rest.contains("#") {
            throw .invalidURL(reason: "fragments ('#') are not supported; percent-encode '#' in the password as %23")
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let tail = rest[authorityEnd...]
        var pathPart: Substring = ""
        var queryPart: Substring?
        if let question = tail.firstIndex(of: "?") {
            queryPart = tail[tail.index(after: question)...]
            pathPart = tail[..<question]
        } else {
            pathPart = tail
        }
        if pathPart.hasPrefix("/") {
            pathPart = pathPart.dropFirst()
        }
        guard let at = authority.lastIndex(of: "@") else {
            if tail.contains("@") {
                throw .invalidURL(
                    reason: "'/', '?' and '@' in the user name or password must be percent-encoded (%2F, %3F, %40)")
            }
            throw .invalidURL(reason: "missing user name (expected user[:password]@host)")
        }
        let (user, password) = try parseUserInfo(authority[..<at])
        let (host, port) = try parseHostPort(authority[authority.index(after: at)...])
        let database = try parseDatabase(pathPart) ?? user
        var configuration = PostgresConfiguration(
            host: host, port: port, user: user, password: password, database: database)
        if let queryPart {
            try applyQuery(queryPart, to: &configuration)
        }
        return configuration
    }

    private static func parseUserInfo(_ info: Substring) throws(PostgresError) -> (String, String?) {
        let userPart: Substring
        var password: String?
        if let colon = info.firstIndex(of: ":") {
            userPart = info[..<colon]
            password = try decode(info[info.index(after: colon)...], component: "password")
        } else {
            userPart = info
        }
        let user = try decode(userPart, component: "user name")
        guard !user.isEmpty else {
            throw .invalidURL(reason: "missing user name before '@'")
        }
        return (user, password)
    }

    private static func parseHostPort(_ hostPort: Substring) throws(PostgresError) -> (String, Int) {
        guard !hostPort.isEmpty else {
            throw .invalidURL(reason: "missing host after '@'")
        }
        if hostPort.contains(",") {
            throw .invalidURL(reason: "multiple hosts are not supported")
        }
        var host: Substring
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw .invalidURL(reason: "unterminated '[' in IPv6 host")
            }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw .invalidURL(reason: "unexpected characters after IPv6 host")
                }
                portText = after.dropFirst()
            }
        } else if let colon = hostPort.firstIndex(of: ":") {
            host = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = hostPort
        }
        guard !host.isEmpty else {
            throw .invalidURL(reason: "missing host after '@'")
        }
        let decodedHost = try decode(host, component: "host")
        guard let portText else {
            return (decodedHost, 5432)
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .invalidURL(reason: "port '\(portText)' is not a number between 1 and 65535")
        }
        return (decodedHost, port)
    }

    private static func parseDatabase(_ path: Substring) throws(PostgresError) -> String? {
        guard !path.isEmpty else { return nil }
        if path.contains("/") {
            throw .invalidURL(reason: "the path must be a single database name ('/database')")
        }
        return try decode(path, component: "database name")
    }

    private static func applyQuery(
        _ query: Substring, to configuration: inout PostgresConfiguration
    ) throws(PostgresError) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try decode(parts[0], component: "query parameter name")
            let value = try decode(parts.count > 1 ? parts[1] : "", component: "value of '\(key)'")
            switch key {
            case "sslmode":
                guard let mode = PostgresConfiguration.SSLMode(rawValue: value) else {
                    let allowed = PostgresConfiguration.SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw .invalidURL(reason: "sslmode '\(value)' is not one of \(allowed)")
                }
                configuration.sslMode = mode
            case "application_name":
                configuration.applicationName = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw .invalidURL(reason: "connect_timeout '\(value)' is not a positive number of seconds")
                }
                configuration.connectTimeout = .seconds(seconds)
            case "pool_size":
                guard let size = Int(value), (1...256).contains(size) else {
                    throw .invalidURL(reason: "pool_size '\(value)' is not a number between 1 and 256")
                }
                configuration.poolSize = size
            default:
                throw .invalidURL(
                    reason: "unsupported query parameter '\(key)' "
                        + "(supported: sslmode, application_name, connect_timeout, pool_size)")
            }
        }
    }

    /// Percent-decodes one URL component; `component` names it in errors (the value is not quoted).
    static func decode(_ text: Substring, component: String) throws(PostgresError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Hex.value), let low = iterator.next().flatMap(Hex.value) else {
                throw .invalidURL(reason: "malformed percent-encoding in the \(component)")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .invalidURL(reason: "the \(component) is not valid UTF-8 after percent-decoding")
        }
        return decoded
    }

    /// Percent-encodes everything except RFC 3986 unreserved characters.
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + Hex.byte(byte).uppercased()
            }
        }
        return result
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
