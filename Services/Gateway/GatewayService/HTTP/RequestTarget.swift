/// Checks of the request line's target before anything routes it: the path, once percent-decoded, must
/// be UTF-8 without NUL or control bytes (`/chat/index.html%00.js` must not reach the file server), and
/// the query, once decoded, must be UTF-8 without NUL.
enum RequestTarget {
    /// The 400 for a target the gateway refuses, or nil when it is fine.
    static func problem(path: String, query: String?) -> APIError? {
        guard let decodedPath = percentDecoded(Substring(path), plusIsSpace: false),
              !decodedPath.contains(where: { $0 < 0x20 || $0 == 0x7F }),
              String(validating: decodedPath, as: UTF8.self) != nil else {
            return .badRequest("invalid_path", "the path holds a NUL or control character, or is not UTF-8 once decoded")
        }
        if let query {
            for part in query.split(separator: "&") {
                guard let decoded = percentDecoded(part, plusIsSpace: true), !decoded.contains(0),
                      String(validating: decoded, as: UTF8.self) != nil else {
                    return .badRequest("invalid_query", "the query string is not UTF-8 once decoded, or holds a NUL")
                }
            }
        }
        return nil
    }

    /// The bytes of `text` with `%XX` escapes decoded; nil when an escape is malformed.
    static func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                result.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                result.append(0x20)
            default:
                result.append(byte)
            }
        }
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
