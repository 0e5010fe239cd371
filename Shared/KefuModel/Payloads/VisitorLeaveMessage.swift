/// `visitor.leave_message` v1 (inbound): out of hours or with nobody to serve, the visitor left a
/// message (留言) for agents to answer by phone or e-mail.
public struct VisitorLeaveMessage: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.visitorLeaveMessage
    /// The data version.
    public static let version = 1

    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// The session the producer believes is current.
    public var sessionHint: SessionID?
    /// How the visitor wants to be addressed, at most ``FieldRules/maxNameLength`` characters.
    public var name: String?
    /// The problem description (`description` on the wire), at most ``FieldRules/maxDescriptionLength`` characters.
    public var problemDescription: String
    /// A phone number to call back; at least one of `phone` and `email` is required.
    public var phone: String?
    /// An e-mail address to answer; at least one of `phone` and `email` is required.
    public var email: String?
    /// Up to ``FieldRules/maxImages`` images.
    public var images: [ImageRef]?

    /// Creates the payload.
    public init(
        channel: String, visitorID: String, sessionHint: SessionID? = nil, name: String? = nil,
        problemDescription: String, phone: String? = nil, email: String? = nil, images: [ImageRef]? = nil
    ) {
        self.channel = channel
        self.visitorID = visitorID
        self.sessionHint = sessionHint
        self.name = name
        self.problemDescription = problemDescription
        self.phone = phone
        self.email = email
        self.images = images
    }

    enum CodingKeys: String, CodingKey {
        case channel, name, phone, email, images
        case problemDescription = "description"
        case visitorID = "visitor_id"
        case sessionHint = "session_hint"
    }

    /// Checks the visitor, the description, the contact (phone or e-mail) and the images.
    public func validate() throws(ContractError) {
        try validateVisitor()
        if let name { try FieldRules.text(name, field: "name", maxLength: FieldRules.maxNameLength) }
        try FieldRules.text(problemDescription, field: "description", maxLength: FieldRules.maxDescriptionLength)
        guard phone != nil || email != nil else {
            throw .invalidField("phone", reason: "at least one of `phone` and `email` is required")
        }
        if let phone { try FieldRules.phone(phone) }
        if let email { try FieldRules.email(email) }
        if let images {
            guard images.count <= FieldRules.maxImages else {
                throw .invalidField("images", reason: "must have at most \(FieldRules.maxImages) items, got \(images.count)")
            }
            for (index, image) in images.enumerated() { try image.validate(field: "images[\(index)]") }
        }
    }
}
