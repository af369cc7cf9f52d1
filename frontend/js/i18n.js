// Every string the page shows, in English and Brazilian Portuguese. Entries
// are text, or functions of their parameters and the language's formatters.
//
// Error texts come in two forms. Problems the page finds itself carry their
// facts (file name, sizes) and read exactly like the server's message for
// the same code. Errors from the server carry a code and an English
// message: English shows that message, Portuguese a translation per code,
// and a code the page does not know falls back to its HTTP status, then to
// the server's words.

import { humanSize } from "./files.js";

export const languages = ["en", "pt-BR"];

const kindsEn = {
  png: "a PNG image", jpeg: "a JPEG image", gif: "a GIF image",
  tiff: "a TIFF image", webp: "a WebP image", pdf: "a PDF document",
};
const kindsPt = {
  png: "uma imagem PNG", jpeg: "uma imagem JPEG", gif: "uma imagem GIF",
  tiff: "uma imagem TIFF", webp: "uma imagem WebP", pdf: "um documento PDF",
};

const en = {
  "title": "docshift: convert documents",
  "skip": "Skip to the converter",
  "language": "Language",
  "theme": "Theme",
  "theme.auto": "Automatic",
  "theme.light": "Light",
  "theme.dark": "Dark",
  "heading": "Convert a document",
  "lead": "No account needed. Your files stay on this server and are " +
    "deleted after 24 hours.",
  "catalog.loading": "Loading the conversions…",
  "catalog.failed": "The list of conversions could not be loaded.",
  "catalog.retry": "Try again",
  "drop.title": "Drop files anywhere on the page",
  "drop.or": "or",
  "drop.pick": "Choose files",
  "drop.overlay": "Drop to add the files",
  "drop.busy": "Wait until the upload has finished, then drop the files " +
    "again.",
  "drop.accepts": (p, f) => `${p.conversion} accepts ${p.extensions}, ` +
    `up to ${f.size(p.maxBytes)} per file` +
    (p.maxFiles > 1 ? `, ${p.maxFiles} files at once` : ""),
  "chosen.remove": (p) => `Remove ${p.name}`,
  "conversion": "Conversion",
  "options": "Options",
  "convert": (p) => `Convert to ${p.output}`,
  "convert.uploading": "Uploading…",
  "upload.progress": (p) => `Uploading: ${p.percent}%`,
  "upload.started": (p) => `Uploading ${p.name}`,
  "status.uploading": "Uploading",
  "status.queued": "Queued",
  "status.running": "Converting",
  "status.succeeded": "Done",
  "status.failed": "Failed",
  "current.queued": "Waiting for a free converter. This page updates on " +
    "its own.",
  "current.running": "Converting now. This page updates on its own.",
  "current.succeeded": (p, f) => `${p.name} is ready (${f.size(p.size)}).`,
  "current.failed": "The conversion did not work.",
  "current.download": (p) => `Download ${p.name}`,
  "current.again": "Convert another file",
  "announce.status": (p) => `${p.name}: ${p.status}`,
  "announce.deleted": (p) => `Deleted the conversion of ${p.name}`,
  "history": "Your conversions",
  "history.note": "Conversions from this browser in the last 24 hours. " +
    "Each is deleted when it expires.",
  "history.empty": "Nothing yet: your conversions will appear here.",
  "job.created": (p, f) => `Started ${f.time(p.time)}`,
  "job.expires": (p, f) => `Deleted automatically ${f.time(p.time)}`,
  "job.download": "Download",
  "job.download.label": (p) => `Download ${p.name}`,
  "job.delete": "Delete",
  "job.delete.label": (p) => `Delete the conversion of ${p.name}`,
  "job.attempts": (p) => `Tried ${p.count} times`,
  "error.upload": "The file was not sent",
  "error.job": "The conversion failed",
  "error.request": "Something went wrong",
  "error.code": (p) => `Error code: ${p.code}`,
  "footer": "docshift converts files on this server with free software. " +
    "Nothing is sent anywhere else.",

  // Problems found before uploading: the server's wording.
  "problem.unsupported_extension": (p, f) =>
    (p.extension === ""
      ? `'${p.name}' has no file extension`
      : `'${p.name}' is a .${p.extension} file`) +
    `; ${f.conversion(p.conversion)} accepts ` +
    f.extensions(p.conversion.extensions),
  "problem.empty_file": (p) => `'${p.name}' is empty`,
  "problem.file_too_large": (p, f) => `'${p.name}' is ${f.size(p.size)}; ` +
    `${f.conversion(p.conversion)} accepts files up to ${f.size(p.limit)}`,
  "problem.type_mismatch": (p, f) => `'${p.name}' is named like a ` +
    `.${p.extension} file but its content is ${kindsEn[p.kind]}; ` +
    `${f.conversion(p.conversion)} accepts ` +
    `${f.extensions(p.conversion.extensions)} files whose content matches ` +
    "their name",
  "problem.too_many_files": (p, f) => `${f.conversion(p.conversion)} takes ` +
    `at most ${p.max} ${p.max === 1 ? "file" : "files"}, and ${p.count} ` +
    "were sent",
  "problem.too_few_files": (p, f) => `${f.conversion(p.conversion)} needs ` +
    `at least ${p.min} files, and ${p.count} ` +
    (p.count === 1 ? "was sent" : "were sent"),
  "problem.request_too_large": (p) =>
    `the upload is larger than the limit of ${p.limit} bytes`,
  "problem.bad_option": (p) => `option '${p.name}' cannot be ` +
    `'${p.value}'; give a whole number from ${p.min} to ${p.max}`,

  "option.quality.medium": "Medium",
  "option.quality.low": "Low (smallest file)",
  "option.quality.high": "High",

  // Errors the server reported without words, or with words the page
  // cannot use (an HTML error page, no answer at all).
  "error.network_error": "The server could not be reached. Check your " +
    "connection and try again.",
  "error.service_unavailable": "The conversion service is not answering " +
    "right now. Try again in a minute.",
  "error.gateway_timeout": "The conversion service took too long to " +
    "answer. Try again in a minute.",
  "error.request_too_large": "The upload is larger than the server " +
    "accepts. Send smaller files.",
  "status.400": "The server refused the request. Reload the page and try " +
    "again.",
  "status.403": "The server refused a request that did not come from " +
    "this page. Reload the page and try again.",
  "status.404": "The server does not know this address. Reload the page; " +
    "it may be out of date.",
  "status.409": "This is not possible in the conversion's current state. " +
    "Wait until it has finished.",
  "status.413": "The upload is larger than the server accepts. Send " +
    "smaller files.",
  "status.415": "This file does not fit the conversion. Choose another " +
    "file or another conversion.",
  "status.422": "One of the options has a value this conversion does not " +
    "accept. Check the options and try again.",
  "status.429": "Too many requests in a short time. Wait a few seconds, " +
    "then try again.",
  "status.500": "Something went wrong on the server. Try again; if it " +
    "keeps happening, tell the administrator.",
  "status.502": "The conversion service is not answering right now. Try " +
    "again in a minute.",
  "status.503": "The conversion service is not available right now. Try " +
    "again in a minute.",
  "status.504": "The conversion service took too long to answer. Try " +
    "again in a minute.",
  "status.other": (p) => `The server gave an unexpected answer (HTTP ` +
    `${p.status}). Try again in a minute.`,
};

const ptBR = {
  "title": "docshift: converta documentos",
  "skip": "Pular para o conversor",
  "language": "Idioma",
  "theme": "Tema",
  "theme.auto": "Automático",
  "theme.light": "Claro",
  "theme.dark": "Escuro",
  "heading": "Converta um documento",
  "lead": "Sem cadastro. Seus arquivos ficam neste servidor e são apagados " +
    "depois de 24 horas.",
  "catalog.loading": "Carregando as conversões…",
  "catalog.failed": "Não foi possível carregar a lista de conversões.",
  "catalog.retry": "Tentar de novo",
  "drop.title": "Solte arquivos em qualquer lugar da página",
  "drop.or": "ou",
  "drop.pick": "Escolher arquivos",
  "drop.overlay": "Solte para adicionar os arquivos",
  "drop.busy": "Espere o envio terminar e solte os arquivos de novo.",
  "drop.accepts": (p, f) => `${p.conversion} aceita ${p.extensions}, ` +
    `até ${f.size(p.maxBytes)} por arquivo` +
    (p.maxFiles > 1 ? `, ${p.maxFiles} arquivos de uma vez` : ""),
  "chosen.remove": (p) => `Remover ${p.name}`,
  "conversion": "Conversão",
  "options": "Opções",
  "convert": (p) => `Converter para ${p.output}`,
  "convert.uploading": "Enviando…",
  "upload.progress": (p) => `Enviando: ${p.percent}%`,
  "upload.started": (p) => `Enviando ${p.name}`,
  "status.uploading": "Enviando",
  "status.queued": "Na fila",
  "status.running": "Convertendo",
  "status.succeeded": "Concluída",
  "status.failed": "Falhou",
  "current.queued": "Esperando um conversor livre. Esta página se " +
    "atualiza sozinha.",
  "current.running": "Convertendo agora. Esta página se atualiza sozinha.",
  "current.succeeded": (p, f) => `${p.name} está pronto (${f.size(p.size)}).`,
  "current.failed": "A conversão não deu certo.",
  "current.download": (p) => `Baixar ${p.name}`,
  "current.again": "Converter outro arquivo",
  "announce.status": (p) => `${p.name}: ${p.status}`,
  "announce.deleted": (p) => `A conversão de ${p.name} foi apagada`,
  "history": "Suas conversões",
  "history.note": "Conversões deste navegador nas últimas 24 horas. Cada " +
    "uma é apagada quando expira.",
  "history.empty": "Nada ainda: suas conversões vão aparecer aqui.",
  "job.created": (p, f) => `Iniciada em ${f.time(p.time)}`,
  "job.expires": (p, f) => `Apagada automaticamente em ${f.time(p.time)}`,
  "job.download": "Baixar",
  "job.download.label": (p) => `Baixar ${p.name}`,
  "job.delete": "Apagar",
  "job.delete.label": (p) => `Apagar a conversão de ${p.name}`,
  "job.attempts": (p) => `Tentada ${p.count} vezes`,
  "error.upload": "O arquivo não foi enviado",
  "error.job": "A conversão falhou",
  "error.request": "Algo deu errado",
  "error.code": (p) => `Código do erro: ${p.code}`,
  "footer": "O docshift converte os arquivos neste servidor com software " +
    "livre. Nada é enviado para outro lugar.",

  "conversion.document_to_pdf": "Documento para PDF",
  "conversion.spreadsheet_to_pdf": "Planilha para PDF",
  "conversion.presentation_to_pdf": "Apresentação para PDF",
  "conversion.document_to_docx": "Documento para Word (.docx)",
  "conversion.document_to_odt": "Documento para OpenDocument (.odt)",
  "conversion.pdf_to_text": "PDF para texto",
  "conversion.pdf_to_images": "PDF para imagens",
  "conversion.pdf_merge": "Juntar PDFs",
  "conversion.pdf_compress": "Comprimir PDF",
  "conversion.pdf_to_pdfa": "PDF para PDF/A (arquivamento)",
  "conversion.images_to_pdf": "Imagens para PDF",
  "conversion.image_convert": "Converter imagem",
  "conversion.markdown_to_pdf": "Markdown para PDF",
  "conversion.markdown_to_docx": "Markdown para Word (.docx)",
  "conversion.markdown_to_html": "Markdown para HTML",
  "conversion.html_to_pdf": "Página web (HTML) para PDF",

  "problem.unsupported_extension": (p, f) =>
    (p.extension === ""
      ? `'${p.name}' não tem extensão de arquivo`
      : `'${p.name}' é um arquivo .${p.extension}`) +
    `; ${f.conversion(p.conversion)} aceita ` +
    f.extensions(p.conversion.extensions),
  "problem.empty_file": (p) => `'${p.name}' está vazio`,
  "problem.file_too_large": (p, f) => `'${p.name}' tem ${f.size(p.size)}; ` +
    `${f.conversion(p.conversion)} aceita arquivos de até ${f.size(p.limit)}`,
  "problem.type_mismatch": (p, f) => `'${p.name}' tem nome de arquivo ` +
    `.${p.extension}, mas o conteúdo é ${kindsPt[p.kind]}; ` +
    `${f.conversion(p.conversion)} aceita arquivos ` +
    `${f.extensions(p.conversion.extensions)} cujo conteúdo corresponde ao ` +
    "nome",
  "problem.too_many_files": (p, f) => `${f.conversion(p.conversion)} aceita ` +
    `no máximo ${p.max} ${p.max === 1 ? "arquivo" : "arquivos"}, e ` +
    `${p.count} foram enviados`,
  "problem.too_few_files": (p, f) => `${f.conversion(p.conversion)} ` +
    `precisa de pelo menos ${p.min} arquivos, e ` +
    (p.count === 1 ? "1 foi enviado" : `${p.count} foram enviados`),
  "problem.request_too_large": (p) =>
    `o envio é maior que o limite de ${p.limit} bytes`,
  "problem.bad_option": (p) => `a opção '${p.name}' não pode ser ` +
    `'${p.value}'; informe um número inteiro de ${p.min} a ${p.max}`,

  "option.format": "Formato da imagem",
  "option.dpi": "Resolução (pontos por polegada)",
  "option.quality": "Qualidade das imagens",
  "option.quality.medium": "Média",
  "option.quality.low": "Baixa (arquivo menor)",
  "option.quality.high": "Alta",

  "error.too_few_files": "Esta conversão precisa de mais arquivos. " +
    "Adicione os que faltam e tente de novo.",
  "error.too_many_fields": "O envio chegou malformado. Recarregue a " +
    "página e tente de novo.",
  "error.bad_option": "Uma das opções tem um valor que esta conversão não " +
    "aceita. Confira as opções e tente de novo.",
  "error.damaged_file": "O arquivo está danificado e não pode ser lido. " +
    "Abra-o no programa original, salve de novo e tente outra vez.",
  "error.image_too_large": "A imagem tem pixels demais para ser " +
    "convertida. Reduza a resolução e tente de novo.",
  "error.page_too_large": "Uma página do documento é grande demais para " +
    "ser convertida. Tente uma resolução menor.",
  "error.too_many_frames": "A imagem tem quadros demais. Envie uma imagem " +
    "com menos quadros.",
  "error.too_many_pages": "O documento tem páginas demais para esta " +
    "conversão. Divida-o em partes menores e tente de novo.",
  "error.cross_origin": "O servidor só aceita mudanças feitas a partir " +
    "da própria página. Abra o docshift pelo endereço dele e tente de novo.",
  "error.output_missing": "O resultado da conversão não está mais no " +
    "servidor. Converta o arquivo de novo.",

  "error.not_multipart": "O navegador enviou o arquivo num formato " +
    "inesperado. Recarregue a página e tente de novo.",
  "error.missing_conversion": "Nenhuma conversão foi escolhida. Escolha " +
    "uma e tente de novo.",
  "error.unknown_conversion": "Esta conversão não é mais oferecida. " +
    "Recarregue a página e escolha outra.",
  "error.missing_file": "Nenhum arquivo chegou ao servidor. Escolha um " +
    "arquivo para converter.",
  "error.too_many_files": "Foram enviados mais arquivos do que esta " +
    "conversão aceita. Remova alguns e tente de novo.",
  "error.unsupported_extension": "Esta conversão não aceita arquivos com " +
    "essa extensão. Escolha outra conversão ou outro arquivo.",
  "error.type_mismatch": "O conteúdo do arquivo não corresponde à extensão " +
    "do nome. Confira se escolheu o arquivo certo; um texto precisa estar " +
    "salvo em UTF-8.",
  "error.empty_file": "O arquivo está vazio. Escolha um arquivo com " +
    "conteúdo.",
  "error.file_too_large": "O arquivo é maior do que esta conversão aceita. " +
    "Reduza o arquivo ou divida-o em partes.",
  "error.encrypted_file": "O arquivo está protegido por senha. Remova a " +
    "senha e envie de novo.",
  "error.request_too_large": "O envio é maior do que o servidor aceita. " +
    "Envie arquivos menores.",
  "error.unknown_option": "O servidor não reconheceu uma das opções. " +
    "Recarregue a página e tente de novo.",
  "error.repeated_field": "O envio chegou malformado. Recarregue a página " +
    "e tente de novo.",
  "error.field_too_long": "O envio chegou malformado. Recarregue a página " +
    "e tente de novo.",
  "error.unexpected_file": "O envio chegou malformado. Recarregue a página " +
    "e tente de novo.",
  "error.malformed_multipart": "O envio chegou malformado. Recarregue a " +
    "página e tente de novo.",
  "error.truncated_body": "O envio foi interrompido antes do fim. Confira " +
    "sua conexão e tente de novo.",
  "error.bad_file_name": "O nome do arquivo tem caracteres que não podem " +
    "ser usados, como quebras de linha. Renomeie o arquivo e tente de novo.",
  "error.too_many_jobs": "Você já tem conversões na fila ou em andamento. " +
    "Espere uma terminar e tente de novo.",
  "error.too_many_requests": "Muitos pedidos em pouco tempo a partir do " +
    "seu endereço. Espere um minuto e tente de novo.",
  "error.database_unavailable": "O serviço não consegue acessar o banco de " +
    "dados agora. Tente de novo em um minuto.",
  "error.storage_full": "O servidor está sem espaço para guardar arquivos " +
    "agora. Tente de novo mais tarde.",
  "error.queue_full": "O serviço tem conversões demais na fila agora. " +
    "Tente de novo em alguns minutos.",
  "error.internal_error": "Algo deu errado do nosso lado. Tente de novo; " +
    "se continuar acontecendo, avise o administrador.",
  "error.method_not_allowed": "A página pediu algo que o servidor não " +
    "oferece. Recarregue a página; ela pode estar desatualizada.",
  "error.not_found": "A página pediu algo que o servidor não oferece. " +
    "Recarregue a página; ela pode estar desatualizada.",
  "error.job_not_found": "Esta conversão não existe mais: pode ter " +
    "expirado ou sido apagada.",
  "error.not_ready": "A conversão ainda não terminou. Espere até ela " +
    "aparecer como concluída.",
  "error.job_failed": "Esta conversão falhou, então não há nada para " +
    "baixar.",
  "error.conversion_failed": "O LibreOffice não conseguiu converter este " +
    "arquivo. Ele pode estar danificado, protegido por senha ou usar " +
    "recursos que o LibreOffice não suporta. Abra-o no programa original, " +
    "salve de novo e tente outra vez.",
  "error.timeout": "A conversão demorou demais e foi interrompida. Tente " +
    "um arquivo menor ou mais simples.",
  "error.no_text": "Este PDF não tem texto, só imagens das páginas (como " +
    "um documento digitalizado), então não há texto para extrair.",
  "error.empty_output": "A conversão terminou, mas gerou um arquivo vazio. " +
    "O documento pode não ter conteúdo.",
  "error.bad_output": "A conversão gerou um arquivo do tipo errado. Tente " +
    "de novo; se continuar, avise o administrador.",
  "error.input_missing": "O arquivo enviado não está mais no servidor. " +
    "Envie-o de novo.",
  "error.interrupted": "A conversão foi interrompida várias vezes e foi " +
    "abandonada. O arquivo pode ser pesado demais; tente um menor ou mais " +
    "simples.",
  "error.service_unavailable": "O serviço de conversão não está " +
    "respondendo agora. Tente de novo em um minuto.",
  "error.gateway_timeout": "O serviço de conversão demorou demais para " +
    "responder. Tente de novo em um minuto.",
  "error.network_error": "Não foi possível falar com o servidor. Confira " +
    "sua conexão e tente de novo.",
  "status.400": "O servidor recusou o pedido. Recarregue a página e tente " +
    "de novo.",
  "status.403": "O servidor recusou um pedido que não veio desta página. " +
    "Recarregue a página e tente de novo.",
  "status.404": "O servidor não conhece este endereço. Recarregue a " +
    "página; ela pode estar desatualizada.",
  "status.409": "Isso não é possível no estado atual da conversão. Espere " +
    "até ela terminar.",
  "status.413": "O envio é maior do que o servidor aceita. Envie arquivos " +
    "menores.",
  "status.415": "Este arquivo não serve para esta conversão. Escolha outro " +
    "arquivo ou outra conversão.",
  "status.422": "Uma das opções tem um valor que esta conversão não " +
    "aceita. Confira as opções e tente de novo.",
  "status.429": "Muitos pedidos em pouco tempo. Espere alguns segundos e " +
    "tente de novo.",
  "status.500": "Algo deu errado no servidor. Tente de novo; se continuar " +
    "acontecendo, avise o administrador.",
  "status.502": "O serviço de conversão não está respondendo agora. Tente " +
    "de novo em um minuto.",
  "status.503": "O serviço de conversão não está disponível agora. Tente " +
    "de novo em um minuto.",
  "status.504": "O serviço de conversão demorou demais para responder. " +
    "Tente de novo em um minuto.",
  "status.other": (p) => `O servidor deu uma resposta inesperada (HTTP ` +
    `${p.status}). Tente de novo em um minuto.`,
};

const catalogs = { en, "pt-BR": ptBR };

let current = "en";

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = languages.includes(lang) ? lang : "en";
}

// The first of the browser's languages the page speaks: any Portuguese
// reads the Brazilian text, anything else English.
export function preferredLanguage(browserLanguages) {
  for (const tag of browserLanguages) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("pt")) {
      return "pt-BR";
    }
    if (lower.startsWith("en")) {
      return "en";
    }
  }
  return "en";
}

function has(key) {
  return Object.hasOwn(catalogs[current], key);
}

function lookup(key) {
  return has(key) ? catalogs[current][key] : en[key];
}

// Formatters handed to message functions, in the current language.
const formatters = {
  size(bytes) {
    const { value, unit } = humanSize(bytes);
    const number = new Intl.NumberFormat(current, {
      maximumFractionDigits: 1, useGrouping: false,
    }).format(value);
    return `${number} ${unit}`;
  },
  time(iso) {
    return new Intl.DateTimeFormat(current, {
      dateStyle: "medium", timeStyle: "short",
    }).format(new Date(iso));
  },
  conversion(conversion) {
    return conversionLabel(conversion);
  },
  extensions(list) {
    return list.map((e) => `.${e}`).join(", ");
  },
};

export function t(key, params = {}) {
  const entry = lookup(key);
  if (entry === undefined) {
    throw new Error(`no text for '${key}'`);
  }
  return typeof entry === "function" ? entry(params, formatters) : entry;
}

export function formatSize(bytes) {
  return formatters.size(bytes);
}

export function formatTime(iso) {
  return formatters.time(iso);
}

// A catalog entry's name: the page's translation when it has one, the
// server's English label otherwise.
export function conversionLabel(conversion) {
  const key = `conversion.${conversion.id}`;
  return current !== "en" && has(key) ? t(key) : conversion.label;
}

export function optionLabel(option) {
  const key = `option.${option.name}`;
  return current !== "en" && has(key) ? t(key) : option.label || option.name;
}

// How an allowed value of an enum option reads: the page's words when it
// has some (quality levels), else the value itself (png, jpeg).
export function optionValueLabel(option, value) {
  const key = `option.${option.name}.${value}`;
  return has(key) ? t(key) : String(value).toUpperCase();
}

// The text for a problem found before uploading: { code, params }.
export function problemText(problem) {
  return t(`problem.${problem.code}`, problem.params);
}

// The text for an error the server reported: { status, code,
// serverMessage }. See the note at the top of this file.
export function errorText(error) {
  const codeKey = `error.${error.code}`;
  if (current === "en" && error.serverMessage) {
    return error.serverMessage;
  }
  if (has(codeKey)) {
    return t(codeKey);
  }
  if (has(`status.${error.status}`)) {
    return t(`status.${error.status}`);
  }
  if (error.serverMessage) {
    return error.serverMessage;
  }
  return t("status.other", { status: error.status });
}
