// A button labelled with one of the seed's words (【进入考试】 …). The word is the same in every language so the
// printed instructions match the screen; English mode adds a gloss.
import { Button, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { SEED_WORDS, type SeedWord } from '../i18n.ts';

export function seedLabel(word: SeedWord, lang: string): string {
  return lang === 'en' ? `${word} ${SEED_WORDS[word]}` : word;
}

export function SeedButton({ word, ...props }: ButtonProps & { word: SeedWord }) {
  const { i18n } = useTranslation();
  return <Button {...props}>{seedLabel(word, i18n.language)}</Button>;
}
