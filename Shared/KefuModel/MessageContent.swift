/// What a message carries: text or one image, never both. On the wire: a `text` or an `image` field.
public enum MessageContent: Sendable, Hashable {
    /// Text, at most ``FieldRules/maxTextLength`` characters.
    case text(String)
    /// One image.
    case image(ImageRef)

    /// The text, if this is text.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The image, if this is an image.
    public var image: ImageRef? {
        if case .image(let image) = self { return image }
        return nil
    }

    /// Decodes from the parent's `text` and `image` keys, requiring exactly one.
    static func decode<Key: CodingKey>(
        from container: KeyedDecodingContainer<Key>, text textKey: Key, image imageKey: Key
    ) throws -> MessageContent {
        let text = try container.decodeIfPresent(String.self, forKey: textKey)
        let image = try container.decodeIfPresent(ImageRef.self, forKey: imageKey)
        switch (text, image) {
        case (let text?, nil): return .text(text)
        case (nil, let image?): return .image(image)
        default:
            let parent = FieldPath.render(container.codingPath)
            throw ContractError.invalidField(parent, reason: "must have exactly one of `text` and `image`")
        }
    }

    /// Encodes into the parent's `text` or `image` key.
    func encode<Key: CodingKey>(to container: inout KeyedEncodingContainer<Key>, text textKey: Key, image imageKey: Key) throws {
        switch self {
        case .text(let text): try container.encode(text, forKey: textKey)
        case .image(let image): try container.encode(image, forKey: imageKey)
        }
    }

    /// Checks the text rule or the image rule.
    func validate() throws(ContractError) {
        switch self {
        case .text(let text): try FieldRules.text(text, field: "text")
        case .image(let image): try image.validate(field: "image")
        }
    }
}
