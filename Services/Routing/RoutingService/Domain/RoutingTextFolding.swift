/// Scalar-level folding shared by sensitive-word masking and keyword matching.
///
/// Folding maps one Unicode scalar to exactly one scalar, so positions in folded
/// text line up with positions in the original text:
/// - full-width ASCII forms (U+FF01–U+FF5E) become their ASCII counterparts,
///   and the ideographic space U+3000 becomes U+0020;
/// - letters below U+0530 (Latin, Greek, Cyrillic) are lowercased when the
///   lowercase form is a single scalar.
enum RoutingTextFolding {
    /// Fold table for scalars below `tableLimit`.
    private static let tableLimit: UInt32 = 0x530

    private static let table: [UInt32] = (0..<tableLimit).map { value in
        guard let scalar = Unicode.Scalar(value) else { return value }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        guard lower.count == 1, let first = lower.first else { return value }
        return first.value
    }

    /// Folds one scalar value (see type documentation).
    @inline(__always)
    static func fold(_ value: UInt32) -> UInt32 {
        if value < 0x80 {
            return (value &- 0x41) < 26 ? value | 0x20 : value
        }
        if value >= 0xFF01 && value <= 0xFF5E {
            let ascii = value - 0xFEE0
            return (ascii &- 0x41) < 26 ? ascii | 0x20 : ascii
        }
        if value == 0x3000 { return 0x20 }
        if value < tableLimit {
            return table.withUnsafeBufferPointer { $0[Int(value)] }
        }
        return value
    }

    /// Folds every scalar of `text`.
    static func foldedScalars(_ text: String) -> [UInt32] {
        text.unicodeScalars.map { fold($0.value) }
    }

    /// Folds `text` and returns it as a `String`.
    static func foldedString(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            view.append(Unicode.Scalar(fold(scalar.value)) ?? scalar)
        }
        return String(view)
    }
}

extension String {
    /// Trims leading and trailing whitespace and newlines (including U+3000).
    func trimmingWhitespaceForRouting() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
