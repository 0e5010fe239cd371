/// JSON text ready for a `jsonb` parameter.
///
/// PostgreSQL's `jsonb` refuses the escape `\u0000` (its text type cannot hold U+0000), although the
/// contract allows it inside strings; it also refuses a leading byte-order mark. An envelope is therefore
/// stored with each `\u0000` turned into `\ufffd` (the replacement character) and without a BOM.
enum PostgresJSON {
    /// `bytes` (a JSON document already accepted by the contract's decoder) as text for `jsonb`.
    static func text(_ bytes: [UInt8]) -> String {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard body.contains(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\"), body.index(after: index) < body.endIndex else {
                output.append(byte)
                index = body.index(after: index)
                continue
            }
            let next = body[body.index(after: index)]
            if next == UInt8(ascii: "u"), isNulEscape(body, at: index) {
                output += Array("\\ufffd".utf8)
                index += 6
            } else {
                output += [byte, next]
                index += 2
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `\u0000` starts at `index`.
    private static func isNulEscape(_ body: ArraySlice<UInt8>, at index: Int) -> Bool {
        guard index + 6 <= body.endIndex else { return false }
        return body[(index + 2)..<(index + 6)].allSatisfy { $0 == UInt8(ascii: "0") }
    }
}
