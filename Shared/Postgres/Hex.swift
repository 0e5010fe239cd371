/// Hexadecimal helpers for bytea (`\x…`) text and percent-encoding.
enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of one ASCII hex digit, or nil.
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Two lowercase hex digits for `byte`.
    static func byte(_ byte: UInt8) -> String {
        String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]], as: UTF8.self)
    }

    /// Decodes PostgreSQL's hex bytea output (`\x0a0b…`); nil if malformed.
    static func decodeBytea(_ text: String) -> [UInt8]? {
        var utf8 = text.utf8[...]
        guard utf8.count >= 2, utf8.removeFirst() == UInt8(ascii: "\\"), utf8.removeFirst() == UInt8(ascii: "x"),
            utf8.count % 2 == 0
        else { return nil }
        var result = [UInt8]()
        result.reserveCapacity(utf8.count / 2)
        var iterator = utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = value(high), let l = value(low) else { return nil }
            result.append(h << 4 | l)
        }
        return result
    }
}
