/// A reference to an image: either one stored by Kefu or one the connector hosts. Image bytes never
/// travel through streams.
public struct ImageRef: Codable, Sendable, Hashable {
    /// Where the image lives.
    public enum Location: Sendable, Hashable {
        /// Stored by Kefu; the id comes from the gateway's upload endpoint.
        case stored(ImageID)
        /// Hosted by the connector at an absolute http(s) URL that Kefu may fetch.
        case url(String)
    }

    /// A MIME type Kefu displays.
    public enum MIMEType: String, WireEnum {
        /// PNG.
        case png = "image/png"
        /// JPEG.
        case jpeg = "image/jpeg"
        /// GIF.
        case gif = "image/gif"
        /// WebP.
        case webp = "image/webp"
    }

    /// Where the image lives.
    public var location: Location
    /// The image's MIME type, when the producer knows it.
    public var mimeType: MIMEType?

    /// Creates a reference.
    public init(_ location: Location, mimeType: MIMEType? = nil) {
        self.location = location
        self.mimeType = mimeType
    }

    enum CodingKeys: String, CodingKey {
        case imageID = "image_id"
        case url
        case mimeType = "mime_type"
    }

    /// Decodes exactly one of `image_id` and `url`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let imageID = try container.decodeIfPresent(ImageID.self, forKey: .imageID)
        let url = try container.decodeIfPresent(String.self, forKey: .url)
        switch (imageID, url) {
        case (let id?, nil): location = .stored(id)
        case (nil, let url?): location = .url(url)
        default:
            throw ContractError.invalidField(
                FieldPath.render(decoder.codingPath), reason: "must have exactly one of `image_id` and `url`"
            )
        }
        mimeType = try container.decodeIfPresent(MIMEType.self, forKey: .mimeType)
    }

    /// Encodes `image_id` or `url`, and `mime_type` when known.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch location {
        case .stored(let id): try container.encode(id, forKey: .imageID)
        case .url(let url): try container.encode(url, forKey: .url)
        }
        try container.encodeIfPresent(mimeType, forKey: .mimeType)
    }

    /// Checks the URL rule; `field` is the path of this reference.
    public func validate(field: String) throws(ContractError) {
        if case .url(let url) = location {
            try FieldRules.imageURL(url, field: field + ".url")
        }
    }
}
