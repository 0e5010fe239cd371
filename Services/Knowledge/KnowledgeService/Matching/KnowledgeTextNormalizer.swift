/// Folds visitor and knowledge-base text into a canonical form before tokenization.
///
/// Full-width ASCII forms and the ideographic space become half-width, letters are lower-cased,
/// and every run of punctuation (Chinese or ASCII), symbols, emoji and whitespace collapses into
/// a single ASCII space that later acts as a token boundary. Characters in `folding` (traditional →
/// simplified, from ``KnowledgeLanguage/simplified``) are replaced.
public struct KnowledgeTextNormalizer: Sendable {
    /// Character replacements applied to CJK characters (traditional → simplified); empty keeps them as-is.
    public let folding: [Unicode.Scalar: Unicode.Scalar]

    /// Creates a normalizer; `folding` maps characters to their canonical form.
    public init(folding: [Unicode.Scalar: Unicode.Scalar] = [:]) {
        self.folding = folding
    }

    /// A normalizer folding traditional characters to simplified with the bundled OpenCC-derived table.
    public static let foldingTraditional = KnowledgeTextNormalizer(folding: KnowledgeLanguage.bundled.simplified)

    /// Returns `text` normalized: half-width, lower-cased, separators collapsed to single spaces, trimmed.
    public func normalize(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var pendingSeparator = false
        for original in text.unicodeScalars {
            let scalar = Self.halfWidth(original)
            if KnowledgeTokenizer.isCJK(scalar) {
                if pendingSeparator {
                    output.append(" ")
                    pendingSeparator = false
                }
                output.append(folding[scalar] ?? scalar)
                continue
            }
            if Self.isSeparator(scalar) {
                pendingSeparator = !output.isEmpty
                continue
            }
            if pendingSeparator {
                output.append(" ")
                pendingSeparator = false
            }
            if scalar.properties.changesWhenLowercased {
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// Maps full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space (U+3000) to ASCII.
    static func halfWidth(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x3000:
            return " "
        case 0xFF01...0xFF5E:
            return Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
        default:
            return scalar
        }
    }

    /// True for whitespace, punctuation, symbols (including emoji), controls, format characters,
    /// enclosing marks and variation selectors.
    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return !((0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value))
        }
        if scalar.properties.isWhitespace { return true }
        if (0xFE00...0xFE0F).contains(scalar.value) { return true }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
             .control, .format, .enclosingMark, .lineSeparator, .paragraphSeparator,
             .spaceSeparator, .surrogate, .privateUse, .unassigned:
            return true
        default:
            return false
        }
    }
}
