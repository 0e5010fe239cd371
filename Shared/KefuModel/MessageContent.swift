/// What a message carries: text, one image or one file, exactly one. On the wire: a `text`, an `image` or a
/// `file` field.
public enum MessageContent: Sendable, Hashable {
    /// Text, at most ``FieldRules/maxTextLength`` characters.
    case text(String)
    /// One image.
    case image(ImageRef)
    /// One file (document, text, archive) stored by Kefu.
    case file(FileRef)

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

    /// The file, if this is a file.
    public var file: FileRef? {
        if case .file(let file) = self { return file }
        return nil
    }

    /// Decodes from the parent's `text`, `image` and `file` keys, requiring exactly one.
    static func decode<Key: CodingKey>(
        from container: KeyedDecodingContainer<Key>, text textKey: Key, image imageKey: Key, file fileKey: Key
    ) throws -> MessageContent {
        let text = try container.decodeIfPresent(String.self, forKey: textKey)
        let image = try container.decodeIfPresent(ImageRef.self, forKey: imageKey)
        let file = try container.decodeIfPresent(FileRef.self, forKey: fileKey)
        switch (text, image, file) {
        case (let text?, nil, nil): return .text(text)
        case (nil, let image?, nil): return .image(image)
        case (nil, nil, let file?): return .file(file)
        default:
            let parent = FieldPath.render(container.codingPath)
            throw ContractError.invalidField(parent, reason: "must have exactly one of `text`, `image` and `file`")
        }
    }

    /// Encodes into the parent's `text`, `image` or `file` key.
    func encode<Key: CodingKey>(
        to container: inout KeyedEncodingContainer<Key>, text textKey: Key, image imageKey: Key, file fileKey: Key
    ) throws {
        switch self {
        case .text(let text): try container.encode(text, forKey: textKey)
        case .image(let image): try container.encode(image, forKey: imageKey)
        case .file(let file): try container.encode(file, forKey: fileKey)
        }
    }

    /// Checks the text, image or file rule.
    func validate() throws(ContractError) {
        switch self {
        case .text(let text): try FieldRules.text(text, field: "text")
        case .image(let image): try image.validate(field: "image")
        case .file(let file): try file.validate(field: "file")
        }
    }
}
