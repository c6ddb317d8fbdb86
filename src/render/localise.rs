//! One field name per localised text: the view templates see holds each such field in the
//! document's language under its plain name (`name`, `message`, `display` …), so a template
//! prints `{{ g.message }}` and never chooses between `message` and `message_id` itself.
//!
//! evaluation.json keeps its documented fields (docs/evaluation.md): there the plain name is
//! Indonesian for the workspace's own words and printed numbers (`name`/`name_en`,
//! `display`/`display_en`, `label`/`label_en`) and English for the tool's sentences
//! (`message`/`message_id`, `explanation`/`explanation_id`, `text`/`text_id`). Only the
//! template's copy (`v`) is rewritten; Typst code reading `/evaluation.json` sees the file.

use super::format::Lang;

/// `(plain name, its Indonesian field, its English field)`, as evaluation.json names them.
const LOCALISED: &[(&str, &str, &str)] = &[
    ("name", "name", "name_en"),
    ("display", "display", "display_en"),
    ("label", "label", "label_en"),
    ("message", "message_id", "message"),
    ("explanation", "explanation_id", "explanation"),
    ("text", "text_id", "text"),
];

/// Puts the `lang` form of every localised field under its plain name, wherever an object
/// has that form as a non-empty string (an aspect without `name_en` keeps its `name`). The
/// suffixed fields stay, unchanged, for a template that wants both languages.
pub fn localise(value: &mut serde_json::Value, lang: Lang) {
    match value {
        serde_json::Value::Object(map) => {
            for &(plain, id, en) in LOCALISED {
                let from = if lang == Lang::Id { id } else { en };
                if from == plain {
                    continue;
                }
                if let Some(text) = map.get(from).filter(|v| v.as_str().is_some_and(|s| !s.is_empty())).cloned() {
                    map.insert(plain.to_string(), text);
                }
            }
            map.values_mut().for_each(|v| localise(v, lang));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| localise(v, lang)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> serde_json::Value {
        json!({
            "aspects": [
                {"id": "baseline", "name": "Kondisi awal", "name_en": "Baseline",
                 "score": {"value": 2.5, "display": "2,50", "display_en": "2.50"}},
                {"id": "x", "name": "Tanpa nama Inggris", "name_en": null},
            ],
            "predicate": {"label": "Baik", "label_en": "Good"},
            "gaps": [{"kind": "no-data", "id": "i1", "message": "no data", "message_id": "tanpa data"}],
            "derivation": {"explanation": "mean of 3", "explanation_id": "rata-rata 3"},
            "data_step": {"text": "raise it", "text_id": "naikkan", "rule": "indicator"},
            "question": {"text": "Apakah ada perwali?", "number": "1.1"},
            "dimension": {"name": "Layanan Publik", "name_en": ""},
        })
    }

    #[test]
    fn indonesian_documents_read_every_plain_field_in_indonesian() {
        let mut v = sample();
        localise(&mut v, Lang::Id);
        assert_eq!(v["aspects"][0]["name"], "Kondisi awal");
        assert_eq!(v["aspects"][0]["score"]["display"], "2,50");
        assert_eq!(v["predicate"]["label"], "Baik");
        assert_eq!(v["gaps"][0]["message"], "tanpa data");
        assert_eq!(v["derivation"]["explanation"], "rata-rata 3");
        assert_eq!(v["data_step"]["text"], "naikkan");
        assert_eq!(v["question"]["text"], "Apakah ada perwali?", "a text with no other language stays");
        // The suffixed fields are still there, as evaluation.json has them.
        assert_eq!(v["gaps"][0]["message_id"], "tanpa data");
        assert_eq!(v["data_step"]["rule"], "indicator");
    }

    #[test]
    fn english_documents_read_every_plain_field_in_english() {
        let mut v = sample();
        localise(&mut v, Lang::En);
        assert_eq!(v["aspects"][0]["name"], "Baseline");
        assert_eq!(v["aspects"][1]["name"], "Tanpa nama Inggris", "no English name: the name as written");
        assert_eq!(v["aspects"][0]["score"]["display"], "2.50");
        assert_eq!(v["predicate"]["label"], "Good");
        assert_eq!(v["gaps"][0]["message"], "no data");
        assert_eq!(v["derivation"]["explanation"], "mean of 3");
        assert_eq!(v["data_step"]["text"], "raise it");
        assert_eq!(v["question"]["text"], "Apakah ada perwali?");
        assert_eq!(v["dimension"]["name"], "Layanan Publik", "an empty English name is no name");
        assert_eq!(v["aspects"][0]["name_en"], "Baseline");
    }
}
