import Foundation

/// Hexadecimal helpers for bytea (`\x…`) text and percent-encoding.
enum Hex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

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

extension Hex {
    /// A `uuid` column's text (`8-4-4-4-12`, either case) as a UUID, without the `sscanf` that
    /// `UUID(uuidString:)` uses; nil if malformed.
    static func uuid(_ text: String) -> UUID? {
        var text = text
        let parsed: uuid_t?? = text.withUTF8 { utf8 -> uuid_t? in
            guard utf8.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var position = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        guard utf8[position] == UInt8(ascii: "-") else { return false }
                        position += 1
                    }
                    guard let high = value(utf8[position]), let low = value(utf8[position + 1]) else { return false }
                    out[index] = high << 4 | low
                    position += 2
                }
                return true
            }
            return ok ? bytes : nil
        }
        return (parsed ?? nil).map { UUID(uuid: $0) }
    }

    /// The lowercase `8-4-4-4-12` text of `uuid`, without the `snprintf` that `uuidString` uses.
    static func text(of uuid: UUID) -> String {
        withUnsafeBytes(of: uuid.uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var position = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    out[position] = digits[Int(raw[index] >> 4)]
                    out[position + 1] = digits[Int(raw[index] & 0x0F)]
                    position += 2
                }
                return 36
            }
        }
    }
}
