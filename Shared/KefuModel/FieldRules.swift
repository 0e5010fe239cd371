/// The field rules of the contract, shared by every payload's `validate()`.
///
/// Each rule matches the JSON Schema in `docs/schemas/envelope.schema.json` (`$defs`). Lengths count
/// Unicode scalars, as JSON Schema's `minLength`/`maxLength` count code points. Every check throws
/// ``ContractError/invalidField(_:reason:)`` naming the field it was given.
public enum FieldRules {
    /// Longest message text, in Unicode scalars.
    public static let maxTextLength = 5000
    /// Longest rating comment, in Unicode scalars.
    public static let maxCommentLength = 500
    /// Longest leave-a-message description, in Unicode scalars.
    public static let maxDescriptionLength = 2000
    /// Longest display name (agent name, visitor name), in Unicode scalars.
    public static let maxNameLength = 64
    /// Longest transfer note, in Unicode scalars.
    public static let maxNoteLength = 500
    /// Most visitor attributes in one entry.
    public static let maxAttributes = 32
    /// Longest visitor attribute value, in Unicode scalars.
    public static let maxAttributeValueLength = 1024
    /// Most images attached to one leave-a-message.
    public static let maxImages = 3
    /// Longest image URL.
    public static let maxURLLength = 2048
    /// Longest opaque token (visitor id, client message id).
    public static let maxTokenLength = 128
    /// Largest integer that JSON readers in every language hold exactly (2^53 - 1).
    public static let maxSafeInteger = 9_007_199_254_740_991

    /// Channel names: `^[a-z0-9][a-z0-9_-]{0,63}$` (e.g. `web`, `wechat`, `app-ios`).
    public static func channel(_ value: String, field: String = "channel") throws(ContractError) {
        try identifierLike(value, field: field, extra: "_-", maxLength: 64, pattern: "^[a-z0-9][a-z0-9_-]{0,63}$")
    }

    /// Producer names in `source`: `^[a-z0-9][a-z0-9._-]{0,63}$` (e.g. `connector-wechat`, `routing`).
    public static func source(_ value: String, field: String = "source") throws(ContractError) {
        try identifierLike(value, field: field, extra: "._-", maxLength: 64, pattern: "^[a-z0-9][a-z0-9._-]{0,63}$")
    }

    /// Attribute keys: `^[a-z0-9][a-z0-9_.-]{0,63}$`.
    public static func attributeKey(_ value: String, field: String) throws(ContractError) {
        try identifierLike(value, field: field, extra: "_.-", maxLength: 64, pattern: "^[a-z0-9][a-z0-9_.-]{0,63}$")
    }

    /// Opaque tokens chosen by a connector (visitor ids, client message ids): 1–128 printable ASCII
    /// characters without spaces (`^[\x21-\x7e]{1,128}$`).
    public static func token(_ value: String, field: String) throws(ContractError) {
        let scalars = value.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= maxTokenLength, scalars.allSatisfy(isPrintableASCII) else {
            throw .invalidField(field, reason: "must be 1-\(maxTokenLength) printable ASCII characters without spaces")
        }
    }

    /// Human text: 1...`maxLength` Unicode scalars with at least one non-whitespace character.
    public static func text(_ value: String, field: String, maxLength: Int = maxTextLength) throws(ContractError) {
        let count = value.unicodeScalars.count
        guard count > 0 else { throw .invalidField(field, reason: "must not be empty") }
        guard count <= maxLength else {
            throw .invalidField(field, reason: "must be at most \(maxLength) characters, got \(count)")
        }
        guard value.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw .invalidField(field, reason: "must contain a non-whitespace character")
        }
    }

    /// Optional free text: at most `maxLength` Unicode scalars, may be empty.
    public static func shortText(_ value: String, field: String, maxLength: Int) throws(ContractError) {
        let count = value.unicodeScalars.count
        guard count <= maxLength else {
            throw .invalidField(field, reason: "must be at most \(maxLength) characters, got \(count)")
        }
    }

    /// Integers within a closed range.
    public static func integer(_ value: Int, in range: ClosedRange<Int>, field: String) throws(ContractError) {
        guard range.contains(value) else {
            throw .invalidField(field, reason: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
    }

    /// Rating stars: 1...5.
    public static func stars(_ value: Int, field: String = "stars") throws(ContractError) {
        try integer(value, in: 1...5, field: field)
    }

    /// Phone numbers: `^\+?[0-9 ()-]{5,32}$`.
    public static func phone(_ value: String, field: String = "phone") throws(ContractError) {
        var scalars = Substring(value).unicodeScalars
        if scalars.first == "+" { scalars.removeFirst() }
        let allowed = scalars.allSatisfy { ("0"..."9").contains($0) || " ()-".unicodeScalars.contains($0) }
        guard allowed, (5...32).contains(scalars.count) else {
            throw .invalidField(field, reason: "must be 5-32 digits, spaces, parentheses or dashes, optionally after '+'")
        }
    }

    /// E-mail addresses: printable ASCII `local@domain`, one `@`, at most 254 characters.
    public static func email(_ value: String, field: String = "email") throws(ContractError) {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              value.unicodeScalars.allSatisfy(isPrintableASCII)
        else {
            throw .invalidField(field, reason: "must be an e-mail address like name@example.com (ASCII, one '@', at most 254 characters)")
        }
    }

    /// Image URLs: `^https?://[\x21-\x7e]+$`, at most 2048 characters (percent-encode anything else).
    public static func imageURL(_ value: String, field: String) throws(ContractError) {
        let rest: Substring
        if value.hasPrefix("https://") {
            rest = value.dropFirst(8)
        } else if value.hasPrefix("http://") {
            rest = value.dropFirst(7)
        } else {
            throw .invalidField(field, reason: "must start with https:// or http://")
        }
        guard !rest.isEmpty, value.utf8.count <= maxURLLength, rest.unicodeScalars.allSatisfy(isPrintableASCII) else {
            throw .invalidField(field, reason: "must be at most \(maxURLLength) printable ASCII characters without spaces (percent-encode the rest)")
        }
    }

    /// Redis stream keys named in `reply_to`: 1–256 printable ASCII characters without spaces.
    public static func streamKey(_ value: String, field: String) throws(ContractError) {
        let scalars = value.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= 256, scalars.allSatisfy(isPrintableASCII) else {
            throw .invalidField(field, reason: "must be a Redis stream key of 1-256 printable ASCII characters")
        }
    }

    /// Visitor attributes: at most 32 entries, keys like `page_url`, values at most 1024 characters.
    public static func attributes(_ value: [String: String], field: String = "attributes") throws(ContractError) {
        guard value.count <= maxAttributes else {
            throw .invalidField(field, reason: "must have at most \(maxAttributes) entries, got \(value.count)")
        }
        for key in value.keys.sorted() {
            try attributeKey(key, field: field)
            try shortText(value[key] ?? "", field: field + "." + key, maxLength: maxAttributeValueLength)
        }
    }

    /// Machine codes and query names: `^[a-z][a-z0-9_]{0,63}$`, plus the `extra` characters (e.g. `.`).
    public static func code(_ value: String, field: String, extra: String = "") throws(ContractError) {
        let scalars = Array(value.unicodeScalars)
        let allowed: (Unicode.Scalar) -> Bool = {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || extra.unicodeScalars.contains($0)
        }
        guard let first = scalars.first, ("a"..."z").contains(first), scalars.count <= 64, scalars.allSatisfy(allowed) else {
            throw .invalidField(field, reason: "must match ^[a-z][a-z0-9_\(extra)]{0,63}$, got '\(value.prefix(80))'")
        }
    }

    static func isPrintableASCII(_ scalar: Unicode.Scalar) -> Bool {
        (0x21...0x7E).contains(scalar.value)
    }

    private static func identifierLike(
        _ value: String, field: String, extra: String, maxLength: Int, pattern: String
    ) throws(ContractError) {
        let scalars = Array(value.unicodeScalars)
        let isLowerAlnum: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        guard let first = scalars.first, isLowerAlnum(first), scalars.count <= maxLength,
              scalars.dropFirst().allSatisfy({ isLowerAlnum($0) || extra.unicodeScalars.contains($0) })
        else {
            throw .invalidField(field, reason: "must match \(pattern), got '\(value.prefix(80))'")
        }
    }
}
