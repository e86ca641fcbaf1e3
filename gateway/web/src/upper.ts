// Amount in Chinese capitals (大写) for display; the API derives the stored value itself.
const D = '零壹贰叁肆伍陆柒捌玖'
const U = ['', '拾', '佰', '仟']
const S = ['', '万', '亿', '万亿']

function section(n: number): string {
  let out = ''
  let zero = false
  for (let i = 3; i >= 0; i--) {
    const digit = Math.floor(n / 10 ** i) % 10
    if (digit === 0) { zero = out !== '' ; continue }
    if (zero) { out += '零'; zero = false }
    out += D[digit] + U[i]
  }
  return out
}

export function toChineseUpper(value: string | number): string {
  const s = String(value ?? '').trim()
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return ''
  const [intPart, frac = ''] = s.split('.')
  let n = Number(intPart)
  const jiao = Number((frac + '00')[0]), fen = Number((frac + '00')[1])
  let out = ''
  if (n === 0) out = ''
  else {
    const parts: string[] = []
    let idx = 0
    let needZero = false
    while (n > 0) {
      const sec = n % 10000
      if (sec) {
        let text = section(sec) + S[idx]
        if (needZero) text += '零'
        parts.unshift(text)
        needZero = sec < 1000
      } else if (parts.length) { needZero = true }
      n = Math.floor(n / 10000)
      idx++
    }
    out = parts.join('').replace(/零+/g, '零').replace(/零$/, '') + '元'
  }
  if (!jiao && !fen) return (out || '零元') + '整'
  if (jiao) out += D[jiao] + '角'
  else if (out) out += '零'
  if (fen) out += D[fen] + '分'
  return out
}
