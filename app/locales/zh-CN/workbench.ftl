# 工作台：描述一张图片或编辑自己的图片，先看花费，再看着结果一张张生成。

## Page
workbench-title = 工作台 · banana nano
workbench-description = 用文字描述生成图片，或借助参考图和手绘蒙版编辑你自己的图片。开始之前就能看到每次要花多少点数。
workbench-heading = 工作台
workbench-lead = 描述你想看到的画面。添加参考图来编辑或组合它们，画一个蒙版就能只修改图片的一部分。
workbench-no-models = 目前没有可用的图像模型，请稍后再试。

## Model
workbench-model-legend = 模型
workbench-model-offline-name = 离线引擎
workbench-model-not-ai = 非 AI
workbench-model-offline-hint = 在我们的服务器上绘制简单的测试图片，不使用任何 AI 模型——适合先试用工作台。
workbench-model-price = { $resolution }：{ $credits } 点数
workbench-model-references = { $count ->
        [0] 仅文字生成图片
       *[other] 最多编辑 { $count } 张参考图
    }
workbench-model-mask = 支持蒙版编辑

## Prompt
workbench-prompt-label = 提示词
workbench-prompt-placeholder = 一根熟透的香蕉戴着墨镜躺在阳光海滩上，黄金时段拍摄
workbench-prompt-count = { $count } / { $max }
workbench-negative-label = 反向提示词
workbench-negative-hint = 画面中不应出现的内容。

## Reference images
workbench-references-legend = 参考图
workbench-references-lead = { $max ->
        [one] 添加一张要编辑的图片。
       *[other] 最多添加 { $max } 张图片进行编辑或组合，按显示的顺序使用。
    }
workbench-references-nojs = 选择要编辑的图片，点击生成时一并发送。蒙版作用于第一张图片。
workbench-drop-zone = 把图片拖到这里，或从剪贴板粘贴。
workbench-reference-choose = 选择图片
workbench-reference-hint = 支持 PNG、JPEG 或 WebP，每张不超过 { $max_mb } MB。
workbench-reference-full = 此模型最多接受 { $max } 张参考图。
workbench-reference-too-many = { $max ->
        [0] 此模型不接受参考图。请移除参考图，或换一个模型。
       *[other] 此模型最多接受 { $max } 张参考图。请移除多余的图片，或换一个模型。
    }
workbench-reference-list = 参考图（按顺序）
workbench-reference-alt = 参考图 { $position }
workbench-reference-uploading = 正在上传…
workbench-reference-earlier = 将第 { $position } 张图片前移
workbench-reference-later = 将第 { $position } 张图片后移
workbench-reference-remove = 移除第 { $position } 张图片
workbench-upload-error-type = { $name } 不是 PNG、JPEG 或 WebP 图片。
workbench-upload-error-size = { $name } 超过了 { $max_mb } MB。
workbench-uploads-pending = 请等图片上传完成。

## Mask
workbench-mask-legend = 蒙版
workbench-mask-lead = 在第一张参考图上涂抹需要修改的部分。涂抹过的区域会重新生成，其余部分保持不变。
workbench-mask-mode = 绘制蒙版
workbench-mask-canvas = 第一张参考图上的蒙版
workbench-mask-tools = 蒙版工具
workbench-mask-brush = 画笔
workbench-mask-eraser = 橡皮擦
workbench-mask-brush-size = 笔刷大小
workbench-mask-undo = 撤销
workbench-mask-redo = 重做
workbench-mask-clear = 清空
workbench-mask-invert = 反选
workbench-mask-painted = 绘制的蒙版会随本次请求一起发送。
workbench-mask-file-label = 或上传一张蒙版图片
workbench-mask-file-hint = 白色区域会被修改，黑色区域保持不变。蒙版作用于第一张参考图，尺寸应与其相同。
workbench-mask-file-added = 蒙版图片已添加，将被使用。
workbench-mask-file-remove = 移除蒙版图片
workbench-mask-export-failed = 无法生成绘制的蒙版，请重试。

## Settings
workbench-style-label = 风格
workbench-style-none = 不使用预设
workbench-style-photo = 照片
workbench-style-illustration = 插画
workbench-style-watercolor = 水彩
workbench-style-3d = 3D 渲染
workbench-style-anime = 动漫
workbench-style-poster = 海报
workbench-aspect-label = 宽高比
workbench-resolution-label = 分辨率
workbench-format-label = 格式
workbench-quantity-label = 张数
workbench-quantity-option = { $count } 张
workbench-options-nojs = 这里列出了所有模型的全部选项。如果所选模型不支持某个选项，系统会请你重新选择。
workbench-advanced = 高级选项
workbench-seed-label = 随机种子
workbench-seed-placeholder = 随机
workbench-seed-hint = 留空则使用随机种子。相同的种子和设置会得到非常相似的图片。
workbench-camera-angle-label = 拍摄角度
workbench-camera-lens-label = 镜头
workbench-camera-lighting-label = 光线
workbench-camera-none = 无
workbench-camera-angle-eye-level = 平视
workbench-camera-angle-low-angle = 仰拍
workbench-camera-angle-high-angle = 俯拍
workbench-camera-angle-overhead = 正上方俯视
workbench-camera-angle-dutch = 倾斜角度
workbench-camera-lens-wide = 广角
workbench-camera-lens-normal = 标准
workbench-camera-lens-portrait = 人像
workbench-camera-lens-telephoto = 长焦
workbench-camera-lens-macro = 微距
workbench-camera-lighting-natural = 自然光
workbench-camera-lighting-studio = 影棚光
workbench-camera-lighting-golden-hour = 黄金时段
workbench-camera-lighting-neon = 霓虹
workbench-camera-lighting-dramatic = 戏剧光
workbench-character-consistency = 保持角色一致
workbench-character-consistency-hint = 让参考图中的人物和角色保持可辨认的一致外观。

## Cost and submit
workbench-cost = 本次将使用 { $credits } 点数。
workbench-cost-unknown = 请选择此模型支持的分辨率以查看花费。
workbench-allowance-account = 你有 { $credits } 点数。
workbench-allowance-guest = 访客试用：还剩 { $remaining } / { $total } 点数。
workbench-shortfall-buy = 购买点数
workbench-shortfall-sign-up = 注册以获得更多点数
workbench-submit = 生成
workbench-submitting = 正在开始…
workbench-started = 已开始生成 { $count } 张图片。
workbench-error-network = 无法连接到服务器。请检查网络后重试。
workbench-error-unexpected = 我们这边出了点问题，没有扣除任何点数，请重试。
workbench-error-seed = 随机种子必须是整数，或留空以随机生成。

## Results
workbench-results-heading = 你的图片
workbench-results-empty = 还没有图片。生成的图片会陆续显示在这里。
workbench-results-guest = 以访客身份使用时，你的图片和上传内容会保留 15 天。在此期间注册，它们会转入你的账户。
workbench-status-queued = 排队中
workbench-status-running = 生成中
workbench-status-succeeded = 已完成
workbench-status-failed = 失败
workbench-status-cancelled = 已取消
workbench-status-refused = 已拒绝
workbench-task-progress = { $percent }%
workbench-task-working = 正在生成…
workbench-task-cost = { $credits } 点数
workbench-task-error-timeout = 模型响应超时。点数已退还。
workbench-task-error-provider = 模型服务未能生成这张图片。点数已退还。
workbench-task-error-refused-prompt = 提示词因内容政策被拒绝。点数已退还。
workbench-task-error-refused-output = 模型生成的图片因内容政策未予提供。点数已退还。
workbench-task-error-refused-upload = 有参考图因内容政策被拒绝。点数已退还。
workbench-task-error-unavailable = 此模型暂时不可用。点数已退还。
workbench-task-error-generic = 这张图片未能生成。点数已退还。
workbench-task-cancel = 取消
workbench-task-cancel-label = 取消这张图片
workbench-task-result-alt = 生成的第 { $number } 张图片，{ $width } × { $height }
workbench-task-new-tab = （在新标签页中打开）
workbench-task-download = 下载
workbench-task-download-label = 下载第 { $number } 张图片

