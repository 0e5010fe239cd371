/// Builds the text form of a PostgreSQL array, for one bind parameter that a set-based statement unnests
/// (`unnest($1::text[])`): elements are double-quoted with `"` and `\` escaped; `nil` is `NULL`.
public enum PostgresArray {
    /// `{"a","b\"c",NULL}` for `["a", "b\"c", nil]`.
    public static func literal(_ values: [String?]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(2 + values.reduce(0) { $0 + 3 + ($1?.utf8.count ?? 4) })
        out.append(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            guard let value else {
                out += "NULL".utf8
                continue
            }
            out.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// The array literal of non-optional values.
    public static func literal(_ values: [String]) -> String {
        literal(values.map(Optional.some))
    }

    /// A `bytea[]` in binary format: one parameter carrying many byte strings without hex or escaping, for
    /// set-based statements such as `INSERT … SELECT … FROM unnest($1::bytea[])`.
    public static func bytea(_ elements: [[UInt8]]) -> PostgresValue {
        var out: [UInt8] = []
        out.reserveCapacity(20 + elements.reduce(0) { $0 + 4 + $1.count })
        func int32(_ value: Int) {
            let v = UInt32(truncatingIfNeeded: value)
            out += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
        }
        int32(elements.isEmpty ? 0 : 1)  // dimensions (none for an empty array)
        int32(0)  // no NULL elements
        int32(17)  // element type: bytea
        guard !elements.isEmpty else { return .binary(oid: 1001, bytes: out) }
        int32(elements.count)
        int32(1)  // lower bound
        for element in elements {
            int32(element.count)
            out += element
        }
        return .binary(oid: 1001, bytes: out)
    }
}
