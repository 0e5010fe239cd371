import Foundation
import Hummingbird
import KefuModel

/// `POST /visitor/sessions` body.
struct StartVisitorSession: Codable {
    var channel: String?
    var token: String?
    var attributes: [String: String]?
    /// A signed identity from the website's backend (``VisitorIdentity``).
    var identity: String?
}

/// `POST /visitor/messages` body.
struct VisitorSendBody: Codable {
    var clientMessageID: String
    var text: String?
    var imageID: ImageID?
    var fileID: FileID?
    var sessionID: SessionID?
    var attributes: [String: String]?
    /// The skill group of the entry (the widget's `data-group`, the H5 page's `?group=`).
    var group: String?

    enum CodingKeys: String, CodingKey {
        case text, attributes, group
        case clientMessageID = "client_message_id"
        case imageID = "image_id"
        case fileID = "file_id"
        case sessionID = "session_id"
    }
}

/// Bodies of the visitor's buttons (转人工, end, exit queue).
struct VisitorHintBody: Codable {
    var sessionID: SessionID?
    /// `request-human` only: the skill group of the entry.
    var group: String?
    enum CodingKeys: String, CodingKey {
        case group
        case sessionID = "session_id"
    }
}

/// `POST /visitor/rating` body.
struct VisitorRatingBody: Codable {
    var sessionID: SessionID
    var stars: Int
    var comment: String?
    enum CodingKeys: String, CodingKey {
        case stars, comment
        case sessionID = "session_id"
    }
}

/// `POST /visitor/feedback` body: 有用 / 没用 on a bot answer.
struct VisitorFeedbackBody: Codable {
    var sessionID: SessionID
    var seq: Int
    var useful: Bool
    enum CodingKeys: String, CodingKey {
        case seq, useful
        case sessionID = "session_id"
    }
}

/// `POST /visitor/leave-message` body.
struct VisitorLeaveMessageBody: Codable {
    var name: String?
    var description: String
    var phone: String?
    var email: String?
    var imageIDs: [ImageID]?
    var sessionID: SessionID?
    enum CodingKeys: String, CodingKey {
        case name, description, phone, email
        case imageIDs = "image_ids"
        case sessionID = "session_id"
    }
}

extension Gateway {
    /// The visitor API: `/api/v1/visitor/…`.
    func addVisitorRoutes(_ router: Router<GatewayRequestContext>) {
        let api = RouteGroup(router: router, prefix: "/api/v1/visitor", catalog: catalog)
        api.post("sessions") { request, context in try await startSession(request, context: context) }
        api.get("session") { request, context in
            let visitor = try await visitor(request, context: context)
            return try await forward(.routing, "visitor.current", actor: Principal.visitor(visitor).actor)
        }
        api.post("messages") { request, context in try await visitorSend(request, context: context) }
        api.post("request-human") { request, context in
            try await visitorAction(request, context: context) {
                VisitorRequestHuman(
                    channel: $0.channel, visitorID: $0.visitorID, sessionHint: $1.sessionID, group: $1.group, priority: $0.priority)
            }
        }
        api.post("end") { request, context in
            try await visitorAction(request, context: context) { VisitorEnd(channel: $0.channel, visitorID: $0.visitorID, sessionHint: $1.sessionID) }
        }
        api.post("exit-queue") { request, context in
            try await visitorAction(request, context: context) { VisitorExitQueue(channel: $0.channel, visitorID: $0.visitorID, sessionHint: $1.sessionID) }
        }
        api.post("rating") { request, context in
            let visitor = try await visitor(request, context: context)
            let body = try await RequestBody.decode(VisitorRatingBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = VisitorRating(
                channel: visitor.channel, visitorID: visitor.visitorID, sessionID: body.sessionID, stars: body.stars, comment: body.comment)
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload))
        }
        api.post("feedback") { request, context in
            let visitor = try await visitor(request, context: context)
            let body = try await RequestBody.decode(VisitorFeedbackBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = VisitorFeedback(
                channel: visitor.channel, visitorID: visitor.visitorID, sessionID: body.sessionID, seq: body.seq, useful: body.useful)
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload))
        }
        api.post("leave-message") { request, context in
            let visitor = try await visitor(request, context: context)
            let body = try await RequestBody.decode(VisitorLeaveMessageBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = VisitorLeaveMessage(
                channel: visitor.channel, visitorID: visitor.visitorID, sessionHint: body.sessionID, name: body.name,
                problemDescription: body.description, phone: body.phone, email: body.email,
                images: body.imageIDs.map { $0.map { ImageRef(.stored($0)) } })
            try validated { () throws(ContractError) in try payload.validate() }
            try await uploads.requireOwned(body.imageIDs ?? [], by: Principal.visitor(visitor).actor)
            return try jsonResponse(try await forwarder.command(payload))
        }
        api.get("history") { request, context in
            let visitor = try await visitor(request, context: context)
            var params = try queryParams(request, strings: ["session_id", "kinds"], ints: ["after_seq", "limit"])
            guard params["session_id"] != nil else { throw APIError.badRequest("invalid_params", "`session_id` is required") }
            if params["kinds"] == nil { params["kinds"] = .string("messages") }
            return try await forward(.store, "history.page", actor: Principal.visitor(visitor).actor, params: params)
        }
        api.post("images") { request, context in
            let visitor = try await visitor(request, context: context)
            return try await uploadImage(request, actor: Principal.visitor(visitor).actor)
        }
        api.get("images/:image_id") { request, context in
            let visitor = try await visitor(request, context: context)
            return try await downloadImage(request, context: context, actor: Principal.visitor(visitor).actor)
        }
        api.post("files") { request, context in
            let visitor = try await visitor(request, context: context)
            return try await uploadFile(request, actor: Principal.visitor(visitor).actor)
        }
        api.get("files/:file_id") { request, context in
            let visitor = try await visitor(request, context: context)
            return try await downloadFile(request, context: context, actor: Principal.visitor(visitor).actor)
        }
        api.get("events") { request, context in try await serverSentEvents(request, context: context) }
        api.get("ws") { request, context in
            let visitor = try auth.visitor(request, allowQuery: true)
            return try await webSocket(request, context: context, principal: .visitor(visitor))
        }
    }

    private func startSession(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await RequestBody.decode(StartVisitorSession.self, from: request, limit: gateway.maxJSONBytes)
        let channel = body.channel ?? "web-pc"
        guard gateway.channels.contains(channel) else {
            throw APIError.badRequest(
                "invalid_channel", "the channel must be one of \(gateway.channels.sorted().joined(separator: ", "))")
        }
        var attributes = body.attributes ?? [:]
        let given = attributes
        try validated { () throws(ContractError) in try FieldRules.attributes(given) }
        let presented = body.token ?? Authenticator.bearer(request)
        let now = Int64(Date().timeIntervalSince1970)
        var visitor: VisitorToken
        var resumed = false
        let existing = presented.flatMap { VisitorToken.verify($0, secret: gateway.secret) }.flatMap { $0.channel == channel ? $0 : nil }
        if let signed = body.identity {
            let identity = try VisitorIdentity.verify(signed, secret: gateway.identitySecret, now: now)
            visitor = VisitorToken(channel: channel, visitorID: identity.visitorID, expiresAt: 0, priority: identity.priority)
            resumed = existing?.visitorID == identity.visitorID
            attributes = identity.attributes.merging(attributes) { signed, _ in signed }
        } else if let existing {
            visitor = existing
            resumed = true
        } else {
            visitor = VisitorToken(channel: channel, visitorID: VisitorToken.newVisitorID(), expiresAt: 0)
        }
        try await limitVisitor(visitor, context: context)
        visitor.expiresAt = now + Int64(gateway.visitorTokenTTL)
        if resumed, let earlier = await rememberedAttributes(of: visitor) {
            attributes = earlier.merging(attributes) { _, new in new }
        }
        if attributes["user_agent"] == nil, let agent = request.headers[.userAgent] {
            attributes["user_agent"] = String(agent.unicodeScalars.prefix(FieldRules.maxAttributeValueLength))
        }
        if attributes.count > FieldRules.maxAttributes { attributes = given }
        if !attributes.isEmpty { await rememberAttributes(attributes, of: visitor, context: context) }
        let actor = Principal.visitor(visitor).actor
        async let current = try? forwarder.query(.routing, "visitor.current", actor: actor)
        async let config = try? forwarder.query(.routing, "channel.config", actor: actor, params: ["channel": .string(channel)])
        let (session, channelConfig) = await (current, config)
        var result: [String: JSONValue] = [
            "token": .string(visitor.signed(secret: gateway.secret)),
            "visitor_id": .string(visitor.visitorID),
            "channel": .string(channel),
            "expires_at": .string(Timestamp(millisecondsSince1970: visitor.expiresAt * 1000).rfc3339),
            "resumed": .bool(resumed),
            "session": session?["session"] ?? .null,
            "channel_config": channelConfig ?? .null,
        ]
        if session == nil || channelConfig == nil { result["routing_available"] = .bool(false) }
        if !attributes.isEmpty { result["attributes"] = try JSONValue(encoding: attributes) }
        return try jsonResponse(JSONValue.object(result), status: resumed ? .ok : .created)
    }

    private func visitorSend(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let visitor = try await visitor(request, context: context)
        let body = try await RequestBody.decode(VisitorSendBody.self, from: request, limit: gateway.maxJSONBytes)
        let content = try await messageContent(
            text: body.text, imageID: body.imageID, fileID: body.fileID, actor: Principal.visitor(visitor).actor)
        var attributes = body.attributes
        if attributes == nil { attributes = await rememberedAttributes(of: visitor) }
        let payload = VisitorMessage(
            channel: visitor.channel, visitorID: visitor.visitorID, sessionHint: body.sessionID,
            clientMessageID: body.clientMessageID, content: content, attributes: attributes, priority: visitor.priority,
            group: body.group)
        try validated { () throws(ContractError) in try payload.validate() }
        if let image = body.imageID { try await uploads.requireOwned([image], by: Principal.visitor(visitor).actor) }
        let forwarder = forwarder
        return try await idempotent(
            scope: "visitor:\(visitor.channel):\(visitor.visitorID)", key: body.clientMessageID, request: body
        ) { id in try await forwarder.command(payload, id: id) }
    }

    private func visitorAction<Kind>(
        _ request: Request, context: GatewayRequestContext, _ make: (VisitorToken, VisitorHintBody) -> VisitorAction<Kind>
    ) async throws -> Response {
        let visitor = try await visitor(request, context: context)
        let body = try await RequestBody.decode(VisitorHintBody.self, from: request, limit: gateway.maxJSONBytes)
        let payload = make(visitor, body)
        try validated { () throws(ContractError) in try payload.validate() }
        return try jsonResponse(try await forwarder.command(payload))
    }

    /// The Redis key holding a visitor's attributes from their last session start.
    private func attributesKey(_ visitor: VisitorToken) -> String {
        "\(context.streams.prefix):visitor:\(visitor.channel):\(visitor.visitorID)"
    }

    /// Keeps the attributes given at session start (page URL, user agent, name…) for the visitor's
    /// messages, which carry them to routing; they expire with the token.
    private func rememberAttributes(_ attributes: [String: String], of visitor: VisitorToken, context: GatewayRequestContext) async {
        guard let json = try? JSONEncoder().encode(attributes) else { return }
        do {
            _ = try await self.context.redis.send([
                Array("SET".utf8), Array(attributesKey(visitor).utf8), Array(json), Array("EX".utf8),
                Array(String(gateway.visitorTokenTTL).utf8),
            ])
        } catch {
            context.logger.warning("visitor attributes not kept", metadata: ["error": "\(error)"])
        }
    }

    /// The attributes kept for the visitor, if any.
    private func rememberedAttributes(of visitor: VisitorToken) async -> [String: String]? {
        guard let bytes = try? await context.redis.send(["GET", attributesKey(visitor)]).bytes else { return nil }
        return try? JSONDecoder().decode([String: String].self, from: Data(bytes))
    }
}
