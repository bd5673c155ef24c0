# 书面提交的隐私权利请求：表单、邮件链接确认页和请求状态页。请求类型和状态名称也用于隐私设置。

## 表单
privacy-requests-title = 隐私请求
privacy-requests-heading = 就你的个人数据向我们提出请求
privacy-requests-lead = 你可以请求获取数据副本、更正、删除、限制处理、反对处理，或获取可转移到其他服务的副本。如果你无法使用自助工具，或更愿意书面联系我们，请使用此表单。
privacy-requests-self-service = 其中大部分操作你也可以在隐私设置中自行立即完成。
privacy-requests-self-service-link = 打开隐私设置
privacy-requests-kind = 你希望我们做什么？
privacy-requests-kind-choose = 请选择…
privacy-requests-option-access = 向我提供我的个人数据副本
privacy-requests-option-correct = 更正错误或不完整的数据
privacy-requests-option-delete = 删除我的个人数据
privacy-requests-option-restrict = 限制你们对我数据的使用
privacy-requests-option-object = 停止将我的数据用于分析和画像（提出反对）
privacy-requests-option-port = 以机器可读格式提供我的数据，以便转移到其他服务
privacy-requests-email-hint = 我们会向这个地址发送一个链接，确认请求是你本人提交的。无论该地址是否有账户，本页面的答复都相同。
privacy-requests-email-signed-in-hint = 你账户的邮箱地址。你已登录，因此请求会立即视为已确认。
privacy-requests-details = 详细说明
privacy-requests-details-hint = 任何有助于我们处理的信息。如需更正，请说明哪里有误以及应改为什么（必填）。最多 5,000 个字符。
privacy-requests-submit = 提交请求
privacy-requests-steps-heading = 接下来会怎样
privacy-requests-step-verify = 我们先确认请求是你本人提交的：通过你的登录，或通过发送到该邮箱的链接。链接 7 天内有效；逾期未确认的请求会被删除。
privacy-requests-step-deadline = 我们会在确认后 30 天内答复。
privacy-requests-step-extension = 如果请求较为复杂，我们可能延期一次，最多再延长 30 天。我们会在期限到来之前告诉你，并说明原因。
privacy-requests-step-answer = 我们会执行请求，或说明无法执行的原因。如果你不同意，可以向数据保护监管机构投诉。
privacy-requests-new = 提交新的请求

## 提交表单之后
privacy-requests-notice-check-inbox = 请查收邮件：我们已发送一个确认请求的链接。30 天的答复期限从你确认时开始计算。
privacy-requests-notice-received = 你的请求已通过登录确认。我们会在下方的答复期限前答复你。
privacy-requests-notice-verified = 谢谢，你的请求已确认。我们会在下方的答复期限前答复你。

## 错误
privacy-requests-error-kind = 请选择你希望我们做什么。
privacy-requests-error-details-missing = 请告诉我们哪里有误以及应改为什么，以便我们更正。
privacy-requests-error-details-long = 详细说明请不要超过 { $max } 个字符。
privacy-requests-error-note-missing = 请填写对方将会看到的原因或答复。
privacy-requests-error-note-long = 请不要超过 { $max } 个字符。
privacy-requests-error-not-found = 找不到这个请求。
privacy-requests-error-not-open = 这个请求已不再处于待处理状态。
privacy-requests-error-already-extended = 这个请求已经延期过一次，不能再次延期。
privacy-requests-error-past-due = 这个请求已超过答复期限，不能再延期。
privacy-requests-error-link-invalid = 这个确认链接无效。请确认你打开的是完整链接。
privacy-requests-error-link-expired = 这个确认链接已过期，请求未能及时确认。请重新提交。

## 确认邮件中的链接
privacy-requests-verify-title = 确认你的隐私请求
privacy-requests-verify-heading = 确认你的请求
privacy-requests-verify-lead = 请确认这个请求是你提交的。30 天的答复期限从你确认时开始计算。
privacy-requests-verify-submit = 确认我的请求
privacy-requests-verify-not-you = 不是你提交的？直接关闭此页面即可：未经你确认，我们不会采取任何行动。
privacy-requests-verify-done = 这个请求已经确认。
privacy-requests-verify-view = 查看进度
privacy-requests-verify-no-token = 要确认请求，请打开我们发给你的邮件中的链接。

## 请求状态
privacy-request-title = 你的隐私请求
privacy-request-heading = 你的隐私请求
privacy-request-kind = 请求
privacy-request-kind-access = 访问：获取数据副本
privacy-request-kind-correct = 更正
privacy-request-kind-delete = 删除
privacy-request-kind-restrict = 限制处理
privacy-request-kind-object = 反对处理
privacy-request-kind-port = 可携带：机器可读副本
privacy-request-status = 状态
privacy-request-status-unverified = 等待你确认
privacy-request-status-open = 处理中
privacy-request-status-extended = 处理中，已延期一次
privacy-request-status-completed = 已完成
privacy-request-status-refused = 已拒绝
privacy-request-sent = 提交时间
privacy-request-confirmed = 确认时间
privacy-request-due = 答复期限
privacy-request-extended-on = 延期时间
privacy-request-closed = 答复时间
privacy-request-unverified-hint = 请点击我们发送的邮件中的链接来确认这个请求。链接 7 天内有效；30 天的答复期限从你确认时开始计算。
privacy-request-keep-link = 请保留我们邮件中的链接：无需登录即可通过它查看此页面。
privacy-request-extension-heading = 我们为什么需要更多时间
privacy-request-resolution-completed = 我们所做的处理
privacy-request-resolution-refused = 我们无法执行的原因
privacy-request-complaint = 如果你不同意，请回复我们的邮件，我们会重新查看。你也可以向数据保护监管机构投诉。
privacy-request-details = 你填写的内容
privacy-request-not-found = 找不到这个请求。请打开我们邮件中的完整链接，或使用该请求所属的账户登录。
