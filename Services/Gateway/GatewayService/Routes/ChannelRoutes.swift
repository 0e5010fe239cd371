import Foundation
import Hummingbird
import KefuModel

/// `POST /channels/{channel}/messages` body.
struct ChannelMessageBody: Codable {
    var visitorID: String
    var clientMessageID: String
    var text: String?
    var imageID: ImageID?
    var fileID: FileID?
    var sessionID: SessionID?
    var attributes: [String: String]?
    var priority: Int?

    enum CodingKeys: String, CodingKey {
        case text, attributes, priority
        case visitorID = "visitor_id"
        case clientMessageID = "client_message_id"
        case imageID = "image_id"
        case fileID = "file_id"
        case sessionID = "session_id"
    }
}

/// `POST /channels/{channel}/request-human` and `…/end` body.
struct ChannelActionBody: Codable {
    var visitorID: String
    var clientMessageID: String
    var sessionID: SessionID?

    enum CodingKeys: String, CodingKey {
        case visitorID = "visitor_id"
        case clientMessageID = "client_message_id"
        case sessionID = "session_id"
    }
}

/// `POST /channels/{channel}/rating` body.
struct ChannelRatingBody: Codable {
    var visitorID: String
    var clientMessageID: String
    var sessionID: SessionID
    var stars: Int
    var comment: String?

    enum CodingKeys: String, CodingKey {
        case stars, comment
        case visitorID = "visitor_id"
        case clientMessageID = "client_message_id"
        case sessionID = "session_id"
    }
}

extension Gateway {
    /// The integrator API of API channels: `/api/v1/channels/{channel}/…` with `Authorization: Bearer
    /// <API key>`. A thin edge over the inbound stream: every route writes the same `visitor.*` envelope a
    /// connector would, or asks the same query the widget's routes ask, as that visitor.
    func addChannelRoutes(_ router: Router<GatewayRequestContext>) {
        let api = RouteGroup(router: router, prefix: "/api/v1/channels/:channel", catalog: catalog)
        api.post("messages") { request, context in
            let channel = try await apiChannel(request, context: context)
            let body = try await RequestBody.decode(ChannelMessageBody.self, from: request, limit: gateway.maxJSONBytes)
            try validated { () throws(ContractError) in try FieldRules.token(body.visitorID, field: "visitor_id") }
            let sender = Principal.visitor(VisitorToken(channel: channel, visitorID: body.visitorID, expiresAt: 0))
            let content = try await messageContent(text: body.text, imageID: body.imageID, fileID: body.fileID, actor: sender.actor)
            let payload = VisitorMessage(
                channel: channel, visitorID: body.visitorID, sessionHint: body.sessionID, clientMessageID: body.clientMessageID,
                content: content, attributes: body.attributes, priority: body.priority)
            try validated { () throws(ContractError) in try payload.validate() }
            let visitor = try await limitedVisitor(channel: channel, visitorID: body.visitorID, context: context)
            if let image = body.imageID { try await uploads.requireOwned([image], by: visitor.actor) }
            let forwarder = forwarder
            return try await idempotent(
                scope: "visitor:\(channel):\(body.visitorID)", key: body.clientMessageID, request: body
            ) { id in try await forwarder.command(payload, id: id) }
        }
        api.post("images") { request, context in
            let channel = try await apiChannel(request, context: context)
            guard let visitorID = request.query("visitor_id"), request.query("session_id") != nil else {
                throw APIError.badRequest("invalid_params", "`visitor_id` and `session_id` are required")
            }
            try validated { () throws(ContractError) in try FieldRules.token(visitorID, field: "visitor_id") }
            let visitor = try await limitedVisitor(channel: channel, visitorID: visitorID, context: context)
            return try await uploadImage(request, actor: visitor.actor)
        }
        api.post("files") { request, context in
            let visitor = try await channelVisitor(request, context: context)
            return try await uploadFile(request, actor: visitor.actor)
        }
        api.get("files/:file_id") { request, context in
            let visitor = try await channelVisitor(request, context: context)
            return try await downloadFile(request, context: context, actor: visitor.actor)
        }
        api.post("request-human") { request, context in
            try await channelAction(request, context: context, kind: "request_human") {
                VisitorRequestHuman(channel: $0, visitorID: $1.visitorID, sessionHint: $1.sessionID)
            }
        }
        api.post("end") { request, context in
            try await channelAction(request, context: context, kind: "end") {
                VisitorEnd(channel: $0, visitorID: $1.visitorID, sessionHint: $1.sessionID)
            }
        }
        api.post("rating") { request, context in
            let channel = try await apiChannel(request, context: context)
            let body = try await RequestBody.decode(ChannelRatingBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = VisitorRating(
                channel: channel, visitorID: body.visitorID, sessionID: body.sessionID, stars: body.stars, comment: body.comment)
            try validated { () throws(ContractError) in
                try payload.validate()
                try FieldRules.token(body.clientMessageID, field: "client_message_id")
            }
            _ = try await limitedVisitor(channel: channel, visitorID: body.visitorID, context: context)
            let forwarder = forwarder
            return try await idempotent(
                scope: "visitor:\(channel):\(body.visitorID):rating", key: body.clientMessageID, request: body
            ) { id in try await forwarder.command(payload, id: id) }
        }
        api.get("visitors/:visitor_id/session") { request, context in
            let channel = try await apiChannel(request, context: context)
            let visitor = try await limitedVisitor(channel: channel, visitorID: try visitorParameter(context), context: context)
            return try await forward(.routing, "visitor.current", actor: visitor.actor)
        }
        api.get("visitors/:visitor_id/history") { request, context in
            let channel = try await apiChannel(request, context: context)
            let visitor = try await limitedVisitor(channel: channel, visitorID: try visitorParameter(context), context: context)
            var params = try queryParams(request, strings: ["session_id", "kinds"], ints: ["after_seq", "limit"])
            guard params["session_id"] != nil else { throw APIError.badRequest("invalid_params", "`session_id` is required") }
            if params["kinds"] == nil { params["kinds"] = .string("messages") }
            return try await forward(.store, "history.page", actor: visitor.actor, params: params)
        }
        api.get("events") { request, context in
            let channel = try await apiChannel(request, context: context)
            return try await channelEvents(request, channel: channel)
        }
    }

    /// The API channel in the path, after checking the caller's key: 401 without a usable key (unknown,
    /// malformed or revoked), 403 for a key of another channel.
    func apiChannel(_ request: Request, context: GatewayRequestContext) async throws -> String {
        let channel = try channelParameter(context)
        guard let key = Authenticator.bearer(request) else {
            throw APIError.unauthorized("send the channel's API key as `Authorization: Bearer kefu_ck_…`")
        }
        guard let identity = try await apiChannels.authenticate(key) else {
            throw APIError.unauthorized("the API key is unknown or revoked; ask an admin for a key of this channel")
        }
        guard identity.channel == channel else {
            throw APIError.forbidden("this API key belongs to another channel")
        }
        return channel
    }

    /// The visitor named by `?visitor_id=` on an API channel route (file upload and download).
    private func channelVisitor(_ request: Request, context: GatewayRequestContext) async throws -> Principal {
        let channel = try await apiChannel(request, context: context)
        guard let visitorID = request.query("visitor_id") else {
            throw APIError.badRequest("invalid_params", "`visitor_id` is required")
        }
        return try await limitedVisitor(channel: channel, visitorID: visitorID, context: context)
    }

    /// The visitor an integrator acts for, after taking a token from that visitor's rate-limit bucket
    /// (the same bucket as a widget visitor's).
    private func limitedVisitor(channel: String, visitorID: String, context: GatewayRequestContext) async throws -> Principal {
        try validated { () throws(ContractError) in try FieldRules.token(visitorID, field: "visitor_id") }
        let token = VisitorToken(channel: channel, visitorID: visitorID, expiresAt: 0)
        try await limitVisitor(token, context: context)
        return .visitor(token)
    }

    private func visitorParameter(_ context: GatewayRequestContext) throws -> String {
        guard let visitorID = context.parameters.get("visitor_id") else {
            throw APIError.badRequest("invalid_params", "`visitor_id` is required")
        }
        return visitorID
    }

    /// `request-human` and `end`: validated, then sent once per `client_message_id` (a retry re-sends the
    /// same envelope id, which routing handles once).
    private func channelAction<Kind>(
        _ request: Request, context: GatewayRequestContext, kind: String, _ make: (String, ChannelActionBody) -> VisitorAction<Kind>
    ) async throws -> Response {
        let channel = try await apiChannel(request, context: context)
        let body = try await RequestBody.decode(ChannelActionBody.self, from: request, limit: gateway.maxJSONBytes)
        let payload = make(channel, body)
        try validated { () throws(ContractError) in
            try payload.validate()
            try FieldRules.token(body.clientMessageID, field: "client_message_id")
        }
        _ = try await limitedVisitor(channel: channel, visitorID: body.visitorID, context: context)
        let forwarder = forwarder
        return try await idempotent(
            scope: "visitor:\(channel):\(body.visitorID):\(kind)", key: body.clientMessageID, request: body
        ) { id in try await forwarder.command(payload, id: id) }
    }
}
