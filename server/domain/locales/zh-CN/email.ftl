# 事务邮件：banana nano 发出的每封邮件的文字。
# 只写纯文本：版式会加上标记并转义所有值，请不要在这里写 HTML。
# 参数：$name（对方的显示名称）、$new_email（邮箱地址）、$site（本站主机名）。

## 每封邮件共用的框架
email-greeting = { $name }，你好：
email-greeting-anonymous = 你好：
email-link-fallback = 如果按钮无法点击，请将下面的链接复制到浏览器中打开：
email-signoff = —— banana nano 团队
email-footer-reason = 你收到这封邮件，是因为某个 banana nano 账户进行了相关操作。这是服务通知，即使你关闭了新闻邮件也会收到。

## Message::VerifyEmail
email-verify-subject = 请确认你在 banana nano 的邮箱地址
email-verify-heading = 只差一步，就能开始创作
email-verify-body = 感谢注册 banana nano！请确认这个邮箱地址属于你，这样我们才能保护好你的账户，让你的作品随时可取。
email-verify-button = 确认邮箱
email-verify-expiry = 此链接 24 小时内有效。
email-verify-ignore = 没有注册过？可能有人误用或冒用了你的地址。打开链接并选择“我没有注册过”：对方会被登出，对方设置的密码随即失效，这个账户如何处理由你决定。

## Message::ResetPassword
email-reset-subject = 重置你的 banana nano 密码
email-reset-heading = 设置新密码
email-reset-body = 我们收到了重置你 banana nano 账户密码的请求。请点击下面的按钮设置新密码。
email-reset-button = 设置新密码
email-reset-expiry = 此链接 1 小时内有效，且只能使用一次。
email-reset-ignore = 不是你本人的操作？忽略这封邮件即可。你的密码不会改变，没有这个链接，任何人都无法修改它。

## Message::ConfirmNewEmail（发往新地址）
email-confirm-new-email-subject = 请确认你在 banana nano 的新邮箱地址
email-confirm-new-email-heading = 确认你的新邮箱
email-confirm-new-email-body = 你申请将这个地址用作 banana nano 账户的邮箱。确认之后，今后的所有邮件都会发送到这里。
email-confirm-new-email-button = 确认新邮箱
email-confirm-new-email-expiry = 此链接 24 小时内有效。在你确认之前，账户仍使用原来的邮箱。
email-confirm-new-email-ignore = 不是你本人的操作？忽略这封邮件即可，一切都不会改变。

## Message::EmailChanged（发往旧地址的通知）
email-email-changed-subject = 你的 banana nano 账户邮箱已更改
email-email-changed-heading = 你的邮箱地址已更改
email-email-changed-body = 你的 banana nano 账户现在使用 { $new_email }。今后的账户邮件都会发送到这个地址。
email-email-changed-not-you = 如果这不是你本人的操作，请立即回复这封邮件，我们会帮你保护账户安全。

## Message::PasswordChanged
email-password-changed-subject = 你的 banana nano 密码已更改
email-password-changed-heading = 你的密码已更改
email-password-changed-body = 你的 banana nano 账户密码刚刚被更改。如果是你本人操作的，无需再做任何事。
email-password-changed-not-you = 如果不是你本人操作，请立即点击下面的按钮重置密码。重置链接只会发送到这个邮箱，账户始终由你掌控。
email-password-changed-button = 重置密码

## Message::AccountExists（有人用已有账户的地址注册）
email-account-exists-subject = 你已经拥有 banana nano 账户
email-account-exists-heading = 你已经有账户了
email-account-exists-body = 刚刚有人使用这个邮箱地址注册 banana nano。该地址已经有账户，因此没有创建新账户。
email-account-exists-button = 登录
email-account-exists-forgot = 忘记密码了？在登录页面选择“忘记密码”，我们会给你发送重置链接。
email-account-exists-ignore = 如果这不是你本人的操作，忽略这封邮件即可：你的账户和密码都没有变化。

## Message::AdminInvite
email-admin-invite-subject = 邀请你一起管理 banana nano
email-admin-invite-heading = 设置你的管理员密码
email-admin-invite-body = 一位管理员在 { $site } 为你创建了 banana nano 管理员账户。设置密码后即可登录。
email-admin-invite-button = 设置密码
email-admin-invite-expiry = 此链接 24 小时内有效。如果已过期，请联系邀请你的人重新发送。
email-admin-invite-ignore = 没有预料到这封邮件？忽略即可：在设置密码之前，这个账户无法使用。

## Message::PolicyUpdated（法律文件发生重大变更的服务通知）
email-policy-updated-subject = banana nano 更新了{ $doc ->
        [privacy] 隐私政策
        [terms] 服务条款
        [cookies] Cookie 政策
       *[other] 子处理方列表
    }
email-policy-updated-heading = 我们的{ $doc ->
        [privacy] 隐私政策
        [terms] 服务条款
        [cookies] Cookie 政策
       *[other] 子处理方列表
    }有一项重要变更
email-policy-updated-body = 我们发布了该文件的 { $version } 版本。这次变更会影响你使用 banana nano 的方式，因此我们直接通知你。
email-policy-updated-what = 点击下方按钮查看变更内容。文件页面链接的存档中保留了此前的每一个版本。{ $doc ->
        [terms] 下次登录时，我们会请你先接受新条款再继续使用。
       *[other] {""}
    }
email-policy-updated-button = 查看新版本
email-policy-updated-service = 这是一封与你账户相关的服务通知，即使你已退订营销邮件也会收到。

## Message::Marketing（新闻与优惠，仅发给选择订阅的人）
## $subject 是运营者写的主题；正文是运营者自己的文字。
email-marketing-subject = { $subject }
email-marketing-heading = { $subject }
email-marketing-unsubscribe = 一键退订
email-marketing-preferences = 管理邮件偏好
email-marketing-footer-reason = 你收到这封邮件，是因为你选择了接收 banana nano 的新闻与优惠。你可以随时一键退订；与你账户相关的邮件仍会照常发送。

## Message::BreachNotice（个人数据泄露的服务通知）
## $summary 是运营者对事件的说明，$detected 是日期，$contact 是联系地址，
## $categories 是下方名称组成的列表。
email-breach-subject = 重要：一起安全事件涉及你在 banana nano 的数据
email-breach-heading = 一起安全事件涉及你的数据
email-breach-body = 我们特此告知：banana nano 发生了一起安全事件，涉及你的部分个人数据。我们于 { $detected } 发现了这起事件。
email-breach-what = 发生了什么：{ $summary }
email-breach-data = 涉及的数据类型：{ $categories }。
email-breach-doing = 我们正在做什么：我们已控制住事件，正在调查其原因，并已在法律要求时向数据保护监管机构报告。如果我们了解到任何会改变你应对方式的情况，会再次写信告诉你。
email-breach-you = 你可以做什么：为 banana nano 以及所有使用相同密码的其他服务设置新密码，检查哪些设备登录了你的账户，并警惕索要密码或支付信息的消息。我们绝不会通过邮件索要这些信息。
email-breach-button = 检查我的账户安全
email-breach-contact = 有疑问？请写信至 { $contact }，会有专人回复你。
email-breach-service = 这是一封与你的数据相关的服务通知，即使你已退订营销邮件也会收到。

## 邮件中列出的个人数据类型名称
email-category-account = 账户信息
email-category-usage = 使用数据
email-category-device-network = 设备与网络数据（如 IP 地址）
email-category-cookies = Cookie 数据
email-category-orders-payments = 订单与支付记录
email-category-uploads-prompts = 上传的图片与提示词
email-category-generated-content = 生成的图片
email-category-guest-data = 注册前的访客数据
email-category-logs-analytics = 日志与分析事件
email-category-support-marketing = 客服对话与订阅偏好

## 书面提交的隐私权利请求（Message::PrivacyRequest*）。收件地址可能没有账户，因此不称呼姓名。
## $kind 为 access | correct | delete | restrict | object | port；$due 为日期（UTC）；
## $outcome 为 completed | refused。
email-privacy-request-verify-subject = 请确认你向 banana nano 提交的隐私请求
email-privacy-request-verify-heading = 请确认你的请求
email-privacy-request-verify-body = 有人使用这个邮箱地址，请求 banana nano { $kind ->
        [access] 提供其个人数据的副本
        [correct] 更正其个人数据
        [delete] 删除其个人数据
        [restrict] 限制对其个人数据的使用
        [object] 停止使用其个人数据（提出反对）
       *[port] 提供其个人数据的机器可读副本，以便转移到其他服务
    }。在我们处理之前，请确认这是你本人提交的。
email-privacy-request-verify-button = 确认我的请求
email-privacy-request-verify-expiry = 此链接 7 天内有效。我们会在你确认后 30 天内答复。
email-privacy-request-verify-ignore = 不是你提交的？忽略这封邮件即可：未经你确认，我们不会采取任何行动，未确认的请求会在 7 天后删除。
email-privacy-request-received-subject = 我们已收到你的隐私请求
email-privacy-request-received-heading = 我们已收到你的请求
email-privacy-request-received-body = 谢谢。我们已收到你{ $kind ->
        [access] 获取个人数据副本
        [correct] 更正个人数据
        [delete] 删除个人数据
        [restrict] 限制使用个人数据
        [object] 反对使用个人数据
       *[port] 获取机器可读的个人数据副本
    }的请求，并已确认由你本人提交。
email-privacy-request-received-due = 我们最迟会在 { $due }（UTC）前答复你。
email-privacy-request-received-button = 查看请求进度
email-privacy-request-received-extension = 如果请求较为复杂，我们可能需要最多再延长 30 天。延期只有一次，并且我们会在上述日期之前告诉你原因。
email-privacy-request-received-keep = 请保留这封邮件：按钮会打开你的请求状态页面，只有持有此链接的人才能查看。
email-privacy-request-extended-subject = 我们需要更多时间处理你的隐私请求
email-privacy-request-extended-heading = 你的请求有了新的答复期限
email-privacy-request-extended-body = 我们需要更多时间来答复你{ $kind ->
        [access] 获取个人数据副本
        [correct] 更正个人数据
        [delete] 删除个人数据
        [restrict] 限制使用个人数据
        [object] 反对使用个人数据
       *[port] 获取机器可读的个人数据副本
    }的请求。我们最迟会在 { $due }（UTC）前答复你；这是唯一一次延期。原因如下：
email-privacy-request-extended-questions = 对延期有疑问？直接回复这封邮件，会有专人答复你。
email-privacy-request-closed-subject = { $outcome ->
        [completed] 我们已完成你的隐私请求
       *[refused] 我们无法执行你的隐私请求
    }
email-privacy-request-closed-heading = { $outcome ->
        [completed] 你的请求已完成
       *[refused] 关于你的请求的答复
    }
email-privacy-request-closed-body = { $outcome ->
        [completed] 我们已完成你{ $kind ->
            [access] 获取个人数据副本
            [correct] 更正个人数据
            [delete] 删除个人数据
            [restrict] 限制使用个人数据
            [object] 反对使用个人数据
           *[port] 获取机器可读的个人数据副本
        }的请求。我们所做的处理：
       *[refused] 我们仔细审阅了你{ $kind ->
            [access] 获取个人数据副本
            [correct] 更正个人数据
            [delete] 删除个人数据
            [restrict] 限制使用个人数据
            [object] 反对使用个人数据
           *[port] 获取机器可读的个人数据副本
        }的请求，但无法执行。原因如下：
    }
email-privacy-request-closed-next = { $outcome ->
        [completed] 如有任何不妥，请直接回复这封邮件，我们会重新查看。
       *[refused] 如果你不同意，请直接回复这封邮件，我们会重新查看。你也有权向数据保护监管机构（例如你居住地或工作地的监管机构）投诉，并寻求司法救济。
    }

## Self-service data export and account deletion

## Message::DataExportReady
email-data-export-subject = 你的 banana nano 数据导出已准备好
email-data-export-heading = 你的数据可以下载了
email-data-export-body = 你申请的个人数据副本已准备好：我们保存的每一类关于你的数据各有一个 JSON 文件，另附你上传和生成的图片。
email-data-export-button = 下载我的数据
email-data-export-expiry = 此链接在 { $expires } 之前有效，且只能在登录你的账号时使用。之后文件会被删除；你可以随时在隐私设置中申请新的副本。
email-data-export-ignore = 不是你申请的？那说明有其他人登录了你的账号：请在安全设置中修改密码，并退出其他设备。

## Message::AccountDeleted
email-account-deleted-subject = 你的 banana nano 账号已删除
email-account-deleted-heading = 你的账号已删除
email-account-deleted-body = 按照你的要求，我们已删除你的 banana nano 账号。你已在所有设备上退出登录，你的上传、作品、提示词和历史记录均已删除。
email-account-deleted-kept = 我们会将你的个人资料保留 90 天，以备处理付款争议，之后将其彻底删除。根据税法要求，你的付款和点数记录会以不再指向你的化名保留 7 年。
email-account-deleted-not-you = 如果这不是你本人的操作，请立即回复这封邮件。

## 客服工单（Message::SupportTicketConfirm、Message::SupportReply）。收件人可能是没有账户的访客，
## 因此不称呼姓名。$topic 为 account | billing | generation | privacy | other。
email-support-confirm-subject = 请确认你发给 banana nano 客服的留言
email-support-confirm-heading = 请确认你的留言
email-support-confirm-body = 有人使用这个邮箱地址向 banana nano 客服发送了一条关于{ $topic ->
        [account] 账户
        [billing] 账单与点数
        [generation] 图像生成
        [privacy] 隐私事务
       *[other] 其他问题
    }的留言。请确认这是你本人发送的，我们会将其转交客服团队。
email-support-confirm-button = 确认我的留言
email-support-confirm-expiry = 此链接 7 天内有效。
email-support-confirm-ignore = 不是你发送的？忽略这封邮件即可：未经确认的留言不会有人阅读，并会在 7 天后删除。
email-support-reply-subject = banana nano 客服已回复你的留言
email-support-reply-heading = 我们已回复你的留言
email-support-reply-body = 以下是我们对你关于{ $topic ->
        [account] 账户
        [billing] 账单与点数
        [generation] 图像生成
        [privacy] 隐私事务
       *[other] 其他问题
    }的留言的答复：
email-support-reply-button = 查看并回复
email-support-reply-reply = 点击按钮可查看完整对话并回复我们。只有持有此链接的人才能查看。
